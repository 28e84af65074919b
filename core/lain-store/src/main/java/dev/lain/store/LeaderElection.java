package dev.lain.store;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on any {@link Store}, the way etcd's own recipe works: each candidate writes
 * {@code <prefix>/<lease id>} with its value under a lease it keeps alive; the candidate whose key
 * has the lowest create revision leads. When the leader's lease ends (it resigns, crashes or loses
 * the store), its key is deleted and the next candidate in line takes over. A candidate that loses
 * its lease steps down at once and campaigns again at the back of the line; one that could not
 * reach the store long enough to presume its lease lost steps down too, and takes its place back if
 * the lease and its key outlived the outage (a short etcd election does not move the lead).
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  private static final Duration RETRY = Duration.ofMillis(500);

  /** Told about changes of leadership, from one thread, in order. */
  public interface Listener {
    /**
     * This candidate leads; every write it makes as the leader should be conditional on {@code
     * fence} ({@link Fence#commit}), so that it writes nothing once another one leads.
     */
    void elected(Fence fence);

    void revoked();
  }

  private final Store store;
  private final String prefix;
  private final String candidate;
  private final Duration ttl;
  private final Listener listener;
  private final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean leader;
  private volatile boolean closed;

  private enum Signal {
    CHANGED,
    LEASE_LOST,
    RESIGN,
    CLOSE
  }

  private LeaderElection(
      Store store, String name, String candidate, Duration ttl, Listener listener) {
    this.store = store;
    this.prefix = Keys.check(name) + "/";
    this.candidate = candidate;
    this.ttl = ttl;
    this.listener = listener;
    this.thread = Thread.ofVirtual().name("election " + name).unstarted(this::run);
  }

  /**
   * Starts campaigning for leadership of {@code name} (a store key such as {@code
   * /lain/deployd/leader}) with {@code candidate} as the value others see.
   */
  public static LeaderElection start(
      Store store, String name, String candidate, Duration ttl, Listener listener) {
    LeaderElection election = new LeaderElection(store, name, candidate, ttl, listener);
    election.thread.start();
    return election;
  }

  /** The current leader's value, if anyone leads {@code name}. */
  public static Optional<String> currentLeader(Store store, String name) {
    return first(store.list(Keys.check(name) + "/").entries()).map(KeyValue::value);
  }

  public boolean isLeader() {
    return leader;
  }

  /**
   * Steps down (if leading) and campaigns again at the back of the line: for a leader that found
   * itself fenced out, so that it follows the one that leads now.
   */
  public void resign() {
    signals.add(Signal.RESIGN);
  }

  /** Resigns (if leading) and stops campaigning. */
  @Override
  public void close() {
    closed = true;
    signals.add(Signal.CLOSE);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    // A campaign whose lease was only presumed lost while the store was away: resumed if the
    // lease and its key outlived that, so a short store outage does not hand the lead on.
    Campaign resumable = null;
    while (!closed) {
      Campaign campaign = null;
      try {
        if (resumable != null) {
          campaign = resume(resumable).orElse(null);
          if (campaign == null) {
            revokeQuietly(resumable.lease());
          }
          resumable = null;
        }
        if (campaign == null) {
          campaign = campaign();
        }
      } catch (StoreException e) {
        log.warn("campaign for {} failed, retrying: {}", prefix, e.getMessage());
        if (pause()) {
          return;
        }
        continue;
      }
      Signal ended = null;
      try {
        ended = follow(campaign);
      } finally {
        setLeader(Optional.empty());
        if (ended == Signal.LEASE_LOST && !campaign.keeper().confirmedGone() && !closed) {
          campaign.watch().close();
          campaign.keeper().close();
          resumable = campaign;
        } else {
          endCampaign(campaign);
        }
      }
    }
  }

  /** The campaign again, if its lease is still alive and its key unchanged; else empty. */
  private Optional<Campaign> resume(Campaign old) {
    if (!store.keepAlive(old.lease().id())) {
      return Optional.empty();
    }
    Optional<KeyValue> key = store.get(old.key());
    if (key.isEmpty() || key.get().modRevision() != old.fence().modRevision()) {
      return Optional.empty();
    }
    LeaseKeeper keeper =
        LeaseKeeper.start(store, old.lease(), () -> signals.add(Signal.LEASE_LOST));
    try {
      Watch watch = watchLine();
      signals.add(Signal.CHANGED);
      log.warn("the lease of {} outlived the store's absence; candidacy resumes", old.key());
      return Optional.of(new Campaign(old.key(), old.fence(), old.lease(), keeper, watch));
    } catch (StoreException e) {
      keeper.close();
      throw e;
    }
  }

  private Campaign campaign() {
    Lease lease = store.grantLease(ttl);
    String key = prefix + Long.toHexString(lease.id());
    LeaseKeeper keeper = null;
    Watch watch = null;
    try {
      long written = store.put(key, candidate, lease.id());
      keeper = LeaseKeeper.start(store, lease, () -> signals.add(Signal.LEASE_LOST));
      watch = watchLine();
      signals.add(Signal.CHANGED);
      return new Campaign(key, new Fence(key, written), lease, keeper, watch);
    } catch (StoreException e) {
      if (watch != null) {
        watch.close();
      }
      if (keeper != null) {
        keeper.close();
      }
      revokeQuietly(lease);
      throw e;
    }
  }

  /** Watches the line of candidates from now on: each change is a {@code CHANGED} signal. */
  private Watch watchLine() {
    long from = store.list(prefix).revision() + 1;
    return store.watch(
        prefix,
        from,
        new WatchListener() {
          @Override
          public void onEvents(List<WatchEvent> events) {
            signals.add(Signal.CHANGED);
          }

          @Override
          public void onCompacted(long compactRevision) {
            // We can no longer see the line change: step down and campaign afresh.
            signals.add(Signal.LEASE_LOST);
          }

          @Override
          public void onClosed(StoreException cause) {
            signals.add(Signal.LEASE_LOST);
          }
        });
  }

  /**
   * Tracks the line of candidates until this campaign ends; returns what ended it (null: its key
   * vanished or the thread was interrupted).
   */
  private Signal follow(Campaign campaign) {
    while (true) {
      Signal signal;
      try {
        // The watch should tell of every change of the line; looking again every TTL anyway means
        // a watch that silently stopped delivering delays a takeover by one TTL, not forever.
        signal = signals.poll(ttl.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (signal == null) {
        signal = Signal.CHANGED;
      }
      switch (signal) {
        case CLOSE -> {
          return signal;
        }
        case LEASE_LOST -> {
          log.warn("lost the lease for {}; campaigning again", prefix);
          return signal;
        }
        case RESIGN -> {
          log.warn("resigned the lead of {}; campaigning again", prefix);
          return signal;
        }
        case CHANGED -> {
          try {
            List<KeyValue> line = store.list(prefix).entries();
            if (line.stream().noneMatch(kv -> kv.key().equals(campaign.key()))) {
              log.warn("our candidacy {} vanished; campaigning again", campaign.key());
              return null;
            }
            boolean first = first(line).map(kv -> kv.key().equals(campaign.key())).orElse(false);
            setLeader(first ? Optional.of(campaign.fence()) : Optional.empty());
          } catch (StoreException e) {
            // Keep the current belief: the lease keeper will tell if the store stays away too long.
            log.warn("cannot read the candidates of {}: {}", prefix, e.getMessage());
            if (pause()) {
              return Signal.CLOSE;
            }
            signals.add(Signal.CHANGED);
          }
        }
      }
    }
  }

  /**
   * Waits {@link #RETRY} before trying the store again; returns true if closed meanwhile. A lost
   * lease noticed during the pause stays queued.
   */
  private boolean pause() {
    long deadline = System.nanoTime() + RETRY.toNanos();
    boolean leaseLost = false;
    try {
      for (long left = RETRY.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        Signal signal = signals.poll(left, TimeUnit.NANOSECONDS);
        if (signal == Signal.CLOSE) {
          return true;
        }
        leaseLost |= signal == Signal.LEASE_LOST || signal == Signal.RESIGN;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      if (leaseLost) {
        signals.add(Signal.LEASE_LOST);
      }
    }
    return closed;
  }

  private void setLeader(Optional<Fence> fence) {
    boolean now = fence.isPresent();
    if (now == leader) {
      return;
    }
    leader = now;
    try {
      if (now) {
        listener.elected(fence.get());
      } else {
        listener.revoked();
      }
    } catch (RuntimeException e) {
      log.error("election listener failed", e);
    }
  }

  private static Optional<KeyValue> first(List<KeyValue> candidates) {
    return candidates.stream().min(Comparator.comparingLong(KeyValue::createRevision));
  }

  private void revokeQuietly(Lease lease) {
    try {
      store.revokeLease(lease.id());
    } catch (StoreException e) {
      log.warn("cannot revoke lease {}: {}", Long.toHexString(lease.id()), e.getMessage());
    }
  }

  private record Campaign(String key, Fence fence, Lease lease, LeaseKeeper keeper, Watch watch) {}

  private void endCampaign(Campaign campaign) {
    campaign.watch().close();
    campaign.keeper().close();
    revokeQuietly(campaign.lease());
  }
}
