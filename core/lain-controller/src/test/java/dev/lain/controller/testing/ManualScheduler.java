package dev.lain.controller.testing;

import dev.lain.controller.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time moves only when a test calls {@link #advance}: tasks then run on
 * the test's thread, in the order they fall due, each with the clock set to its due time. Safe to
 * schedule on from other threads (a controller's workers).
 */
public final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::sequence));
  private long now;
  private long sequence;

  private record Task(long due, long sequence, Runnable action) {}

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task scheduled = new Task(now + Math.max(0, delay.toNanos()), sequence++, task);
    tasks.add(scheduled);
    return () -> {
      synchronized (this) {
        tasks.remove(scheduled);
      }
    };
  }

  /** Moves time on by {@code by}, running every task that falls due meanwhile. */
  public void advance(Duration by) {
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due() > target) {
          now = target;
          return;
        }
        tasks.remove();
        now = next.due();
      }
      next.action().run();
    }
  }

  /** How long from now each task not yet run is due, soonest first. */
  public synchronized List<Duration> pending() {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(tasks.comparator());
    return sorted.stream().map(t -> Duration.ofNanos(t.due() - now)).toList();
  }
}
