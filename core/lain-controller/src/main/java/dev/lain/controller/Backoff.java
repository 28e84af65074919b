package dev.lain.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a key whose sync failed waits before the next try: {@code min} after the first failure
 * in a row, twice as long after each further one, never longer than {@code max}.
 */
public record Backoff(Duration min, Duration max) {
  /** 100 ms, 200 ms, 400 ms … up to 30 s. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

  public Backoff {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (!min.isPositive()) {
      throw new IllegalArgumentException("back-off min must be positive: " + min);
    }
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("back-off max " + max + " is below its min " + min);
    }
  }

  /** The wait after {@code failures} failures in a row (1 for the first). */
  public Duration after(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1: " + failures);
    }
    Duration wait = min;
    for (int i = 1; i < failures; i++) {
      // Doubling stops at max, so a long streak neither overflows nor loops long.
      if (wait.compareTo(max.dividedBy(2)) >= 0) {
        return max;
      }
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
