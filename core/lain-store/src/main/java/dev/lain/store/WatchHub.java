package dev.lain.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves watches of a log-structured backend. One pump thread reads new history from the {@link
 * EventLog} after each local commit ({@link #signal}) or, for stores shared with other processes,
 * every {@code pollInterval}; each watch has its own delivery thread so a slow listener delays only
 * itself.
 */
final class WatchHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchHub.class);

  private final EventLog events;
  private final Duration pollInterval;
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread pump;
  private boolean signalled;
  private volatile boolean closed;

  /**
   * @param pollInterval how often to look for commits made by other processes; {@link
   *     Duration#ZERO} when every commit is signalled locally
   */
  WatchHub(EventLog events, String name, Duration pollInterval) {
    this.events = events;
    this.pollInterval = pollInterval;
    this.pump = Thread.ofPlatform().daemon().name(name + "-watch-pump").unstarted(this::pumpLoop);
    pump.start();
  }

  Watch register(String prefix, long fromRevision, WatchListener listener) {
    Keys.checkPrefix(prefix);
    if (fromRevision < 0) {
      throw new IllegalArgumentException("negative revision " + fromRevision);
    }
    if (closed) {
      throw new StoreException(StoreException.Code.CLOSED, "the store is closed");
    }
    long next = fromRevision == 0 ? events.headRevision() + 1 : fromRevision;
    Watcher watcher = new Watcher(prefix, next, listener);
    watchers.add(watcher);
    signal();
    return watcher;
  }

  /** Tells the pump that the log may have grown. */
  void signal() {
    lock.lock();
    try {
      signalled = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    signal();
    try {
      pump.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Watcher watcher : watchers) {
      watcher.end(
          new Closed(new StoreException(StoreException.Code.CLOSED, "the store was closed")));
    }
    watchers.clear();
  }

  private void pumpLoop() {
    while (!closed) {
      awaitWork();
      if (closed) {
        return;
      }
      try {
        dispatch();
      } catch (RuntimeException e) {
        if (e instanceof StoreException se && se.code() == StoreException.Code.CLOSED) {
          return;
        }
        // A transient read failure (e.g. the database is locked by another process): the watchers
        // keep their positions, so the next round delivers what this one could not.
        log.warn("watch dispatch failed, retrying: {}", e.toString());
        sleepQuietly(Duration.ofMillis(50));
      }
    }
  }

  private void awaitWork() {
    lock.lock();
    try {
      while (!signalled && !closed) {
        if (pollInterval.isZero()) {
          wake.await();
        } else if (!wake.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS)) {
          break;
        }
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads the new history once for all watchers (from the oldest position among them) and hands
   * each watcher the events under its prefix that it has not seen.
   */
  private void dispatch() {
    long head = events.headRevision();
    long compact = events.compactRevision();
    long from = Long.MAX_VALUE;
    List<Watcher> due = new ArrayList<>();
    for (Watcher watcher : watchers) {
      if (watcher.cancelled) {
        watchers.remove(watcher);
      } else if (watcher.next <= head && watcher.next < compact) {
        watchers.remove(watcher);
        watcher.end(new Compacted(compact));
      } else if (watcher.next <= head) {
        due.add(watcher);
        from = Math.min(from, watcher.next);
      }
    }
    if (due.isEmpty()) {
      return;
    }
    List<WatchEvent> all = events.read("/", from, head);
    for (Watcher watcher : due) {
      List<WatchEvent> batch = new ArrayList<>();
      for (WatchEvent event : all) {
        if (event.revision() >= watcher.next && event.key().startsWith(watcher.prefix)) {
          batch.add(event);
        }
      }
      watcher.next = head + 1;
      if (!batch.isEmpty()) {
        watcher.queue.add(new Batch(batch));
      }
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private sealed interface Delivery permits Batch, Compacted, Closed {}

  private record Batch(List<WatchEvent> events) implements Delivery {}

  private record Compacted(long revision) implements Delivery {}

  private record Closed(StoreException cause) implements Delivery {}

  private static final class Watcher implements Watch {
    final String prefix;
    final WatchListener listener;
    final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    final Thread delivery;
    // Only the pump thread reads and writes next.
    long next;
    volatile long lastDelivered;
    volatile boolean cancelled;

    Watcher(String prefix, long next, WatchListener listener) {
      this.prefix = prefix;
      this.next = next;
      this.lastDelivered = next - 1;
      this.listener = listener;
      this.delivery = Thread.ofVirtual().name("watch " + prefix).start(this::deliverLoop);
    }

    void end(Delivery last) {
      queue.add(last);
    }

    private void deliverLoop() {
      while (true) {
        Delivery delivery;
        try {
          delivery = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        if (cancelled) {
          return;
        }
        try {
          switch (delivery) {
            case Batch batch -> {
              listener.onEvents(batch.events());
              lastDelivered = batch.events().getLast().revision();
            }
            case Compacted compacted -> {
              listener.onCompacted(compacted.revision());
              return;
            }
            case Closed closed -> {
              listener.onClosed(closed.cause());
              return;
            }
          }
        } catch (RuntimeException e) {
          log.error("watch listener on {} failed; the watch goes on", prefix, e);
        }
      }
    }

    @Override
    public long lastDeliveredRevision() {
      return lastDelivered;
    }

    @Override
    public void close() {
      cancelled = true;
      queue.add(new Closed(new StoreException(StoreException.Code.CLOSED, "watch closed")));
    }
  }
}
