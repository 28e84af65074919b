package dev.lain.controller;

import java.time.Duration;
import java.util.Objects;

/** How a successful {@link Reconciler#sync} ended. */
public sealed interface Result {
  /** Nothing more to do until the key is enqueued again (or resynced). */
  record Done() implements Result {}

  /** Look at the key again after {@code delay} (a health check's interval, a timeout). */
  record RequeueAfter(Duration delay) implements Result {
    public RequeueAfter {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("requeue delay must not be negative: " + delay);
      }
    }
  }

  static Result done() {
    return new Done();
  }

  static Result requeueAfter(Duration delay) {
    return new RequeueAfter(delay);
  }
}
