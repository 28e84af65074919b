package dev.lain.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when told; thread-safe. */
public final class FakeClock implements InstantSource {
  private final AtomicReference<Instant> now;

  public FakeClock(Instant start) {
    now = new AtomicReference<>(start);
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public FakeClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  public Instant advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + by);
    }
    return now.updateAndGet(t -> t.plus(by));
  }
}
