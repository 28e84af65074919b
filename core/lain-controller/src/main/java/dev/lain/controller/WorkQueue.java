package dev.lain.controller;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keys waiting to be synced, with the semantics of Kubernetes client-go's rate-limited work queue.
 * Thread-safe.
 *
 * <ul>
 *   <li>A key is queued at most once: adding it again before it is taken changes nothing, so a
 *       burst of changes to one thing becomes one sync.
 *   <li>A key is handed to one taker at a time. Added again while it is being processed, it is
 *       marked dirty and queued again when the taker calls {@link #done}, so the change is not lost
 *       and no second taker works on the same key meanwhile.
 *   <li>{@link #addAfter} queues a key once a delay is up. It never postpones: a key already queued
 *       or already due earlier stays as it is.
 *   <li>{@link #addRateLimited} waits {@link Backoff#after} the key's failures in a row; {@link
 *       #forget} ends the streak.
 *   <li>After {@link #shutDown} nothing is queued any more, and takers, also those blocked waiting,
 *       get nothing.
 * </ul>
 *
 * <pre>
 * add ──────────────────────► dirty? ─yes─► (nothing: it is queued or will be again)
 * addAfter ─► waiting ─due──►   │no
 * addRateLimited ─► addAfter    ▼
 *                            processing? ─yes─► dirty, queued again on done
 *                               │no
 *                               ▼
 *                            queue ──take──► processing ──done──► (dirty? queue again)
 * </pre>
 *
 * @param <K> keys: values with {@code equals} and {@code hashCode}
 */
public final class WorkQueue<K> {
  private final Backoff backoff;
  private final Scheduler scheduler;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition available = lock.newCondition();

  /** Keys to hand out, in the order they were first added. */
  private final ArrayDeque<K> queue = new ArrayDeque<>();

  /** Keys that need processing: those in {@link #queue} and those added while processed. */
  private final Set<K> dirty = new HashSet<>();

  private final Set<K> processing = new HashSet<>();
  private final Map<K, Waiting> waiting = new HashMap<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private boolean shutDown;

  /** A key's timer: due at {@code due} ({@link Scheduler#nanoTime()}). */
  private record Waiting(long due, Scheduler.Cancellable timer) {}

  public WorkQueue(Backoff backoff, Scheduler scheduler) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** Queues {@code key} unless it is queued already (or the queue is shut down). */
  public void add(K key) {
    Objects.requireNonNull(key, "key");
    lock.lock();
    try {
      addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(K key) {
    if (shutDown || !dirty.add(key) || processing.contains(key)) {
      return;
    }
    queue.addLast(key);
    available.signal();
  }

  /**
   * Queues {@code key} once {@code delay} is up; at once if it is zero or negative. A key already
   * queued, or already waiting to be queued earlier, is not delayed further: this call then does
   * nothing.
   */
  public void addAfter(K key, Duration delay) {
    Objects.requireNonNull(key, "key");
    if (!delay.isPositive()) {
      add(key);
      return;
    }
    lock.lock();
    try {
      if (shutDown || dirty.contains(key)) {
        return;
      }
      long due = scheduler.nanoTime() + delay.toNanos();
      Waiting current = waiting.get(key);
      if (current != null) {
        if (current.due() - due <= 0) {
          return;
        }
        current.timer().cancel();
      }
      // The scheduler never runs the task on this thread, so scheduling under the lock is safe.
      waiting.put(key, new Waiting(due, scheduler.schedule(delay, () -> due(key, due))));
    } finally {
      lock.unlock();
    }
  }

  private void due(K key, long due) {
    lock.lock();
    try {
      Waiting current = waiting.get(key);
      // A timer called off too late to stop it finds a newer due time here and does nothing.
      if (current == null || current.due() != due) {
        return;
      }
      waiting.remove(key);
      addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counts one more failure of {@code key} and queues it after the back-off for that many failures
   * in a row.
   *
   * @return the back-off chosen
   */
  public Duration addRateLimited(K key) {
    Objects.requireNonNull(key, "key");
    Duration wait;
    lock.lock();
    try {
      wait = backoff.after(failures.merge(key, 1, Integer::sum));
    } finally {
      lock.unlock();
    }
    addAfter(key, wait);
    return wait;
  }

  /** Ends {@code key}'s failure streak: its next failure waits {@link Backoff#min()} again. */
  public void forget(K key) {
    lock.lock();
    try {
      failures.remove(key);
    } finally {
      lock.unlock();
    }
  }

  /** How many times in a row {@code key} has failed since it was last forgotten. */
  public int failures(K key) {
    lock.lock();
    try {
      return failures.getOrDefault(key, 0);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next key, waiting for one if none is queued; empty once the queue is shut down. The caller
   * owns the key until it calls {@link #done}.
   */
  public Optional<K> take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty() && !shutDown) {
        available.await();
      }
      if (shutDown) {
        return Optional.empty();
      }
      K key = queue.removeFirst();
      dirty.remove(key);
      processing.add(key);
      return Optional.of(key);
    } finally {
      lock.unlock();
    }
  }

  /** Ends processing of {@code key}; queues it again if it was added meanwhile. */
  public void done(K key) {
    lock.lock();
    try {
      if (processing.remove(key) && dirty.contains(key) && !shutDown) {
        queue.addLast(key);
        available.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Keys queued and not yet taken. */
  public int length() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops queueing: keys queued or waiting are dropped, takers get nothing from now on (those
   * blocked in {@link #take} wake up), keys being processed may still be marked {@link #done}.
   */
  public void shutDown() {
    lock.lock();
    try {
      shutDown = true;
      waiting.values().forEach(w -> w.timer().cancel());
      waiting.clear();
      queue.clear();
      dirty.clear();
      available.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isShutDown() {
    lock.lock();
    try {
      return shutDown;
    } finally {
      lock.unlock();
    }
  }
}
