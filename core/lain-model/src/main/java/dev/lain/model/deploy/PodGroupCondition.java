package dev.lain.model.deploy;

import java.time.Instant;
import java.util.Objects;

/**
 * What the engine says about a pod group: where it stands and what went wrong.
 *
 * @param phase e.g. {@code running}, {@code deploying}, {@code upgrading to v3 (instance 2 of 3)}
 * @param error the last error, empty if none (not enough capacity, rolled back, crash loop...)
 * @param since when the engine last changed this condition
 */
public record PodGroupCondition(String phase, String error, Instant since) {
  public PodGroupCondition {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(since, "since");
  }

  /** The same verdict (ignoring when it was made). */
  public boolean sameAs(PodGroupCondition other) {
    return phase.equals(other.phase) && error.equals(other.error);
  }
}
