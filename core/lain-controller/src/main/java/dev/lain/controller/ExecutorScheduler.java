package dev.lain.controller;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on the system's monotonic clock, running its tasks on one daemon thread of
 * its own. After {@link #close()} nothing runs any more and new tasks are dropped.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  private ExecutorScheduler(String threadName) {
    this.executor =
        new ScheduledThreadPoolExecutor(
            1, runnable -> Thread.ofPlatform().name(threadName).daemon(true).unstarted(runnable));
    // Called-off timers (an earlier due time replacing a later one) must not pile up.
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** A scheduler whose thread is named {@code threadName}. */
  public static ExecutorScheduler start(String threadName) {
    return new ExecutorScheduler(threadName);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    try {
      ScheduledFuture<?> future =
          executor.schedule(() -> run(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException closed) {
      return () -> {};
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // A scheduled future would keep the exception to itself.
      log.error("scheduled task failed", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
