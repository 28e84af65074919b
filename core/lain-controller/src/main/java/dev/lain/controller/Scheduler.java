package dev.lain.controller;

import java.time.Duration;

/**
 * The only source of time of a {@link WorkQueue} and a {@link Controller}: a monotonic reading, and
 * running a short task after a delay. {@link ExecutorScheduler} is the real one; tests use a manual
 * one they advance by hand ({@code ManualScheduler} in this module's test-jar), so back-off,
 * requeue-after and resync are tested without waiting.
 */
public interface Scheduler {
  /**
   * Now, in nanoseconds on a monotonic clock, as {@link System#nanoTime()}: only differences
   * between two readings mean anything.
   */
  long nanoTime();

  /**
   * Runs {@code task} once, {@code delay} from now, on another thread than the caller's (callers
   * may hold locks the task takes). Tasks must be short: they only hand keys to a queue.
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task; one that has not run yet can be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off if it has not started; does nothing otherwise. */
    void cancel();
  }
}
