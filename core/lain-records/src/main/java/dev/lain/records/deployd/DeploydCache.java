package dev.lain.records.deployd;

import dev.lain.store.KeyValue;
import dev.lain.store.Listing;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * deployd's records kept in memory and current through a watch (each change is read once), so the
 * engine's passes do not re-read the whole store. After a compaction or a broken watch it reads
 * everything again.
 */
public final class DeploydCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeploydCache.class);
  private static final String ROOT = "/lain/";

  private final Store store;
  private final Runnable onChange;
  private final Predicate<String> wakesOn;
  private final Object lock = new Object();
  private final Map<String, Cached> entries = new HashMap<>();
  private long revision;
  private Watch watch;
  private volatile boolean closed;

  private record Cached(long modRevision, Optional<Object> record) {}

  private DeploydCache(Store store, Runnable onChange, Predicate<String> wakesOn) {
    this.store = store;
    this.onChange = onChange;
    this.wakesOn = wakesOn;
  }

  /**
   * Reads everything and follows changes; {@code onChange} runs after each applied change, except
   * changes of only the engine's own bookkeeping (pod group conditions, engine status), which need
   * no new pass.
   */
  public static DeploydCache start(Store store, Runnable onChange) {
    return start(store, onChange, key -> true);
  }

  /**
   * As {@link #start(Store, Runnable)}, calling {@code onChange} only for keys {@code wakesOn}
   * accepts.
   */
  public static DeploydCache start(Store store, Runnable onChange, Predicate<String> wakesOn) {
    DeploydCache cache = new DeploydCache(store, onChange, wakesOn);
    cache.reload();
    return cache;
  }

  /** The store revision the cache reflects. */
  public long revision() {
    synchronized (lock) {
      return revision;
    }
  }

  /**
   * Waits until the cache reflects at least {@code wanted}; false if it did not within {@code
   * atMost} (the caller should read the store instead).
   */
  public boolean awaitRevision(long wanted, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    synchronized (lock) {
      while (revision < wanted) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  public DeploydSnapshot snapshot() {
    synchronized (lock) {
      SnapshotBuilder builder = new SnapshotBuilder();
      entries.forEach((key, cached) -> builder.add(key, cached.modRevision(), cached.record()));
      return builder.build(revision);
    }
  }

  @Override
  public void close() {
    closed = true;
    Watch current;
    synchronized (lock) {
      current = watch;
    }
    if (current != null) {
      current.close();
    }
  }

  private void reload() {
    Listing listing = store.list(ROOT);
    synchronized (lock) {
      if (watch != null) {
        watch.close();
      }
      entries.clear();
      for (KeyValue kv : listing.entries()) {
        entries.put(
            kv.key(), new Cached(kv.modRevision(), DeploydRecords.decode(kv.key(), kv.value())));
      }
      revision = listing.revision();
      watch = store.watch(ROOT, listing.revision() + 1, new Follower());
      lock.notifyAll();
    }
    onChange.run();
  }

  private final class Follower implements WatchListener {
    @Override
    public void onEvents(List<WatchEvent> events) {
      boolean relevant = false;
      synchronized (lock) {
        for (WatchEvent event : events) {
          relevant |=
              !event.key().startsWith(DeploydKeys.POD_GROUP_CONDITIONS)
                  && !event.key().equals(DeploydKeys.ENGINE)
                  && wakesOn.test(event.key());
          switch (event) {
            case WatchEvent.Put put ->
                entries.put(
                    put.key(),
                    new Cached(put.revision(), DeploydRecords.decode(put.key(), put.kv().value())));
            case WatchEvent.Delete delete -> entries.remove(delete.key());
          }
          revision = Math.max(revision, event.revision());
        }
        lock.notifyAll();
      }
      if (relevant) {
        onChange.run();
      }
    }

    @Override
    public void onCompacted(long compactRevision) {
      reloadLater("the history it followed was compacted");
    }

    @Override
    public void onClosed(StoreException cause) {
      reloadLater("its watch ended: " + cause.getMessage());
    }

    private void reloadLater(String why) {
      if (closed) {
        return;
      }
      log.warn("deployd cache: {}; reading everything again", why);
      Thread.ofVirtual()
          .start(
              () -> {
                while (!closed) {
                  try {
                    reload();
                    return;
                  } catch (StoreException e) {
                    log.warn("deployd cache: cannot read the store, retrying: {}", e.getMessage());
                    try {
                      Thread.sleep(500);
                    } catch (InterruptedException interrupted) {
                      return;
                    }
                  }
                }
              });
    }
  }
}
