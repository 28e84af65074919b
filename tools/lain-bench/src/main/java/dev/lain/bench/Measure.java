package dev.lain.bench;

import java.time.Duration;

/** The small tools every benchmark here uses. */
final class Measure {
  private Measure() {}

  /** Something to wait for. */
  @FunctionalInterface
  interface Check {
    boolean done();
  }

  /** Polls {@code check} every {@code poll} until it holds; fails after {@code atMost}. */
  static void waitFor(Check check, Duration atMost, Duration poll) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within " + atMost);
      }
      Thread.sleep(poll);
    }
  }

  /** The {@code p} quantile of sorted nanoseconds, in milliseconds. */
  static double percentileMillis(long[] sortedNanos, double p) {
    int index = (int) Math.ceil(p * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
  }

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
