package dev.lain.store.etcd;

import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store watch on an etcd prefix watch.
 *
 * <pre>
 *   etcd stream ──► jetcd watcher (generation n) ──► accept(): drop revisions already queued
 *                        │ error / end                         │
 *                        ▼                                     ▼
 *         resume from lastQueued + 1               queue ──► delivery thread ──► listener
 *         as generation n + 1 (after a pause)
 * </pre>
 *
 * <p>jetcd resumes some broken streams by itself and not others (it gives up on "no leader" and on
 * streams the server ended), and reports an error either way. So this class owns resumption: on any
 * error or end of the current jetcd watcher it closes it and opens a new one from the revision
 * after the last one it queued. Responses of an older generation are ignored and, as etcd never
 * splits a revision across responses, dropping every event at or below the last queued revision
 * leaves no gap, no duplicate and no reordering. A compacted start revision ends the watch with
 * {@link WatchListener#onCompacted}.
 *
 * <p>Locking: jetcd calls its listener while holding its own lock, so this class never calls jetcd
 * while holding {@link #lock}.
 */
final class EtcdWatch implements Watch {
  private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 2_000;

  private final io.etcd.jetcd.Watch watchClient;
  private final ByteSequence prefixBytes;
  private final String prefix;
  private final WatchListener listener;
  private final ScheduledExecutorService resumer;
  private final Function<String, String> describe;
  private final Consumer<EtcdWatch> onEnd;
  private final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
  private final Thread delivery;
  private final Object lock = new Object();

  // Guarded by lock.
  private long lastQueued;
  private int generation;
  private io.etcd.jetcd.Watch.Watcher watcher;
  private boolean ended;
  private int failures;
  private int resumeScheduledFor = -1;
  private int resumes;

  private volatile long lastDelivered;
  private volatile boolean cancelled;

  EtcdWatch(
      io.etcd.jetcd.Watch watchClient,
      ByteSequence prefixBytes,
      String prefix,
      long fromRevision,
      WatchListener listener,
      ScheduledExecutorService resumer,
      Function<String, String> describe,
      Consumer<EtcdWatch> onEnd) {
    this.watchClient = watchClient;
    this.prefixBytes = prefixBytes;
    this.prefix = prefix;
    this.listener = listener;
    this.resumer = resumer;
    this.describe = describe;
    this.onEnd = onEnd;
    this.lastQueued = fromRevision - 1;
    this.lastDelivered = fromRevision - 1;
    this.delivery = Thread.ofVirtual().name("etcd-watch " + prefix).unstarted(this::deliverLoop);
  }

  /** Starts delivering and opens the first etcd watch. */
  void start() {
    delivery.start();
    resume(0);
  }

  @Override
  public long lastDeliveredRevision() {
    return lastDelivered;
  }

  /** How often the etcd watch was opened again after a failure (for tests and diagnostics). */
  int resumes() {
    synchronized (lock) {
      return resumes;
    }
  }

  /** Stops deliveries without telling the listener; a call in progress completes. */
  @Override
  public void close() {
    cancelled = true;
    queue.add(new Closed(null));
    finish();
  }

  /** Ends the watch for good: the listener gets {@code onClosed(cause)} after queued events. */
  void endWith(StoreException cause) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      queue.add(new Closed(cause));
    }
    finish();
  }

  private void finish() {
    io.etcd.jetcd.Watch.Watcher last;
    synchronized (lock) {
      ended = true;
      generation++;
      last = watcher;
      watcher = null;
    }
    closeQuietly(last);
    onEnd.accept(this);
  }

  /** Replaces the current jetcd watcher by one from the revision after the last one queued. */
  private void resume(int expectedGeneration) {
    io.etcd.jetcd.Watch.Watcher old;
    int current;
    long from;
    synchronized (lock) {
      if (ended || generation != expectedGeneration) {
        return;
      }
      current = ++generation;
      if (expectedGeneration != 0) {
        resumes++;
      }
      old = watcher;
      watcher = null;
      from = lastQueued + 1;
    }
    closeQuietly(old);
    io.etcd.jetcd.Watch.Watcher fresh;
    try {
      WatchOption option = WatchOption.builder().isPrefix(true).withRevision(from).build();
      fresh = watchClient.watch(prefixBytes, option, new Generation(current));
    } catch (RuntimeException e) {
      // The jetcd client is closing or refused the watch: try again unless we have ended.
      retryLater(current, e);
      return;
    }
    boolean keep;
    synchronized (lock) {
      keep = !ended && generation == current;
      if (keep) {
        watcher = fresh;
      }
    }
    if (!keep) {
      closeQuietly(fresh);
    }
  }

  private void retryLater(int failedGeneration, Throwable cause) {
    long delay;
    long from;
    synchronized (lock) {
      // jetcd may report one failure twice (an error, then the end of the stream).
      if (ended || generation != failedGeneration || resumeScheduledFor == failedGeneration) {
        return;
      }
      resumeScheduledFor = failedGeneration;
      delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures, 10));
      failures++;
      from = lastQueued + 1;
    }
    log.warn(
        "{}; resuming from revision {} in {} ms",
        describe.apply("watch on " + prefix + " broke: " + EtcdStore.causeText(cause)),
        from,
        delay);
    try {
      resumer.schedule(() -> resume(failedGeneration), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The store is closing; it ends this watch itself.
    }
  }

  private void accept(int gen, WatchResponse response) {
    synchronized (lock) {
      // Once a generation has failed it is dead to us, even if jetcd resumes it by itself: jetcd
      // may resume from the revision of its creation rather than of its last event, skipping some.
      if (ended || gen != generation || gen == resumeScheduledFor) {
        return;
      }
      failures = 0;
      List<WatchEvent> batch = new ArrayList<>();
      for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
        long revision = event.getKeyValue().getModRevision();
        if (revision <= lastQueued) {
          continue; // already delivered before a resume
        }
        switch (event.getEventType()) {
          case PUT -> batch.add(new WatchEvent.Put(EtcdStore.keyValue(event.getKeyValue())));
          case DELETE ->
              batch.add(
                  new WatchEvent.Delete(EtcdStore.text(event.getKeyValue().getKey()), revision));
          case UNRECOGNIZED -> log.warn("ignoring an unrecognized etcd watch event on {}", prefix);
        }
      }
      if (!batch.isEmpty()) {
        lastQueued = batch.getLast().revision();
        queue.add(new Batch(List.copyOf(batch)));
      }
    }
  }

  private void failed(int gen, Throwable error) {
    if (error instanceof CompactedException compacted) {
      synchronized (lock) {
        if (ended || gen != generation) {
          return;
        }
        ended = true;
        generation++;
        queue.add(new Compacted(compacted.getCompactedRevision()));
      }
      onEnd.accept(this);
      return;
    }
    retryLater(gen, error);
  }

  private void completed(int gen) {
    // The stream ended without our asking (e.g. the server shut down): resume like after an error.
    retryLater(gen, new IllegalStateException("stream ended by the server"));
  }

  private void deliverLoop() {
    while (true) {
      Delivery next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (cancelled) {
        return;
      }
      try {
        switch (next) {
          case Batch batch -> {
            // Set first, so whoever the listener signals already sees the new position.
            lastDelivered = batch.events().getLast().revision();
            listener.onEvents(batch.events());
          }
          case Compacted compacted -> {
            listener.onCompacted(compacted.revision());
            return;
          }
          case Closed closed -> {
            if (closed.cause() != null) {
              listener.onClosed(closed.cause());
            }
            return;
          }
        }
      } catch (RuntimeException e) {
        log.error("watch listener on {} failed; the watch goes on", prefix, e);
      }
    }
  }

  private static void closeQuietly(io.etcd.jetcd.Watch.Watcher watcher) {
    if (watcher == null) {
      return;
    }
    try {
      watcher.close();
    } catch (RuntimeException e) {
      log.debug("closing an etcd watcher failed", e);
    }
  }

  /** jetcd's listener for one generation of this watch. */
  private final class Generation implements io.etcd.jetcd.Watch.Listener {
    private final int gen;

    Generation(int gen) {
      this.gen = gen;
    }

    @Override
    public void onNext(WatchResponse response) {
      accept(gen, response);
    }

    @Override
    public void onError(Throwable error) {
      failed(gen, error);
    }

    @Override
    public void onCompleted() {
      completed(gen);
    }
  }

  private sealed interface Delivery permits Batch, Compacted, Closed {}

  private record Batch(List<WatchEvent> events) implements Delivery {}

  private record Compacted(long revision) implements Delivery {}

  /** The end of deliveries; {@code cause} is null when the watch itself was closed. */
  private record Closed(StoreException cause) implements Delivery {}
}
