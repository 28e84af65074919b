package dev.lain.store;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The in-memory backend ({@code memory:}): everything is lost when the process exits. For tests and
 * for trying things out; time comes from an injected clock so lease expiry can be driven by a fake
 * one.
 */
public final class MemoryStore implements Store {
  /** History kept for watches that resume from an old revision. */
  static final int HISTORY_REVISIONS = 100_000;

  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final TreeMap<String, KeyValue> data = new TreeMap<>();
  private final ArrayList<LogEntry> history = new ArrayList<>();
  private final Map<Long, LeaseState> leases = new HashMap<>();
  private final Map<Long, Set<String>> leaseKeys = new HashMap<>();
  private final State state = new State();
  private final WatchHub hub;
  private final Thread sweeper;
  private long revision;
  private long compactRevision;
  private volatile boolean closed;

  /** A store on the system clock that expires leases by itself. */
  public MemoryStore() {
    this(InstantSource.system(), Duration.ofMillis(100));
  }

  /**
   * @param sweepInterval how often to look for expired leases; {@link Duration#ZERO} for never (the
   *     test calls {@link #expireLeases()} after advancing its clock)
   */
  public MemoryStore(InstantSource clock, Duration sweepInterval) {
    this.clock = clock;
    this.hub = new WatchHub(new Log(), "memory-store", Duration.ZERO);
    if (sweepInterval.isZero()) {
      this.sweeper = null;
    } else {
      this.sweeper =
          Thread.ofPlatform()
              .daemon()
              .name("memory-store-leases")
              .start(
                  () -> {
                    while (!closed) {
                      try {
                        Thread.sleep(sweepInterval);
                      } catch (InterruptedException e) {
                        return;
                      }
                      expireLeases();
                    }
                  });
    }
  }

  @Override
  public String backend() {
    return "memory";
  }

  @Override
  public long revision() {
    return locked(() -> revision);
  }

  @Override
  public Optional<KeyValue> get(String key) {
    Keys.check(key);
    return locked(() -> Optional.ofNullable(data.get(key)));
  }

  @Override
  public Listing list(String prefix) {
    Keys.checkPrefix(prefix);
    return locked(() -> new Listing(revision, under(prefix)));
  }

  @Override
  public long put(String key, String value, long leaseId) {
    return commit(Txn.always(List.of(new Txn.Put(key, value, leaseId)))).revision();
  }

  @Override
  public boolean delete(String key) {
    Keys.check(key);
    return write(
        () -> {
          boolean existed = data.containsKey(key);
          Writes.commit(state, Txn.always(List.of(new Txn.Delete(key))));
          return existed;
        });
  }

  @Override
  public int deletePrefix(String prefix) {
    Keys.checkPrefix(prefix);
    return write(() -> Writes.deletePrefix(state, prefix));
  }

  @Override
  public TxnResult commit(Txn txn) {
    return write(() -> Writes.commit(state, txn));
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    ensureOpen();
    return hub.register(prefix, fromRevision, listener);
  }

  @Override
  public Lease grantLease(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease TTL must be positive: " + ttl);
    }
    return write(
        () -> {
          long id;
          do {
            id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
          } while (leases.containsKey(id));
          leases.put(id, new LeaseState(ttl, clock.instant().plus(ttl)));
          return new Lease(id, ttl);
        });
  }

  @Override
  public boolean keepAlive(long leaseId) {
    return write(
        () -> {
          LeaseState lease = leases.get(leaseId);
          Instant now = clock.instant();
          if (lease == null || !now.isBefore(lease.expiresAt())) {
            return false;
          }
          leases.put(leaseId, new LeaseState(lease.ttl(), now.plus(lease.ttl())));
          return true;
        });
  }

  @Override
  public void revokeLease(long leaseId) {
    write(
        () -> {
          if (leases.containsKey(leaseId)) {
            Writes.endLease(state, leaseId);
          }
          return null;
        });
  }

  /** Ends every lease whose TTL has passed on the store's clock. */
  public void expireLeases() {
    if (closed) {
      return;
    }
    write(
        () -> {
          Instant now = clock.instant();
          List<Long> expired =
              leases.entrySet().stream()
                  .filter(e -> !now.isBefore(e.getValue().expiresAt()))
                  .map(Map.Entry::getKey)
                  .toList();
          expired.forEach(id -> Writes.endLease(state, id));
          return null;
        });
  }

  @Override
  public void compact(long compactTo) {
    write(
        () -> {
          if (compactTo > revision) {
            throw new IllegalArgumentException(
                "cannot compact to future revision " + compactTo + " (current " + revision + ")");
          }
          dropHistoryBefore(compactTo);
          return null;
        });
  }

  @Override
  public void close() {
    closed = true;
    if (sweeper != null) {
      sweeper.interrupt();
    }
    hub.close();
  }

  private List<KeyValue> under(String prefix) {
    String end = Keys.prefixEnd(prefix);
    return List.copyOf(
        (end == null ? data.tailMap(prefix, true) : data.subMap(prefix, end)).values());
  }

  private void dropHistoryBefore(long compactTo) {
    if (compactTo <= compactRevision) {
      return;
    }
    int firstKept = firstEntryAtOrAfter(compactTo);
    history.subList(0, firstKept).clear();
    compactRevision = compactTo;
  }

  private int firstEntryAtOrAfter(long rev) {
    int lo = 0;
    int hi = history.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (history.get(mid).revision() < rev) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException(StoreException.Code.CLOSED, "the store is closed");
    }
  }

  private <T> T locked(Supplier<T> action) {
    ensureOpen();
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  private <T> T write(Supplier<T> action) {
    boolean changed;
    T result;
    ensureOpen();
    lock.lock();
    try {
      long before = revision;
      result = action.get();
      changed = revision != before;
    } finally {
      lock.unlock();
    }
    if (changed) {
      hub.signal();
    }
    return result;
  }

  private record LeaseState(Duration ttl, Instant expiresAt) {}

  private record LogEntry(long revision, List<WatchEvent> events) {}

  private final class State implements MutableState {
    @Override
    public long revision() {
      return revision;
    }

    @Override
    public Optional<KeyValue> current(String key) {
      return Optional.ofNullable(data.get(key));
    }

    @Override
    public List<KeyValue> currentUnder(String prefix) {
      return under(prefix);
    }

    @Override
    public boolean leaseExists(long leaseId) {
      return leases.containsKey(leaseId);
    }

    @Override
    public List<String> keysOfLease(long leaseId) {
      return List.copyOf(leaseKeys.getOrDefault(leaseId, Set.of()));
    }

    @Override
    public void write(KeyValue kv) {
      KeyValue old = data.put(kv.key(), kv);
      if (old != null) {
        detach(old);
      }
      if (kv.leaseId() != Lease.NONE) {
        leaseKeys.computeIfAbsent(kv.leaseId(), id -> new HashSet<>()).add(kv.key());
      }
    }

    @Override
    public void remove(String key) {
      KeyValue old = data.remove(key);
      if (old != null) {
        detach(old);
      }
    }

    private void detach(KeyValue old) {
      Set<String> keys = leaseKeys.get(old.leaseId());
      if (keys != null) {
        keys.remove(old.key());
      }
    }

    @Override
    public void dropLease(long leaseId) {
      leases.remove(leaseId);
      leaseKeys.remove(leaseId);
    }

    @Override
    public void append(long rev, List<WatchEvent> events) {
      history.add(new LogEntry(rev, List.copyOf(events)));
      revision = rev;
      if (history.size() > HISTORY_REVISIONS) {
        dropHistoryBefore(history.get(history.size() - HISTORY_REVISIONS).revision());
      }
    }
  }

  private final class Log implements EventLog {
    @Override
    public long headRevision() {
      lock.lock();
      try {
        return revision;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public long compactRevision() {
      lock.lock();
      try {
        return compactRevision;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public List<WatchEvent> read(String prefix, long from, long to) {
      lock.lock();
      try {
        List<WatchEvent> out = new ArrayList<>();
        for (int i = firstEntryAtOrAfter(from); i < history.size(); i++) {
          LogEntry entry = history.get(i);
          if (entry.revision() > to) {
            break;
          }
          for (WatchEvent event : entry.events()) {
            if (event.key().startsWith(prefix)) {
              out.add(event);
            }
          }
        }
        return out;
      } finally {
        lock.unlock();
      }
    }
  }
}
