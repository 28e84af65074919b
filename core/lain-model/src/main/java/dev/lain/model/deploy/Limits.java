package dev.lain.model.deploy;

import java.util.Optional;

/**
 * What one proc may ask for, stated once: lain.yaml validation, the console API, deployd's API,
 * {@code lain scale} and the records themselves all check these bounds and give these messages.
 * Each problem names no field; the caller says where it found the value ({@code procs
 * web.num_instances: ...}, {@code num_instances ...}).
 */
public final class Limits {
  /** The most instances of one proc. */
  public static final int MAX_INSTANCES = 1000;

  /** LAIN's cpu levels are 0..8 (see {@link Resources#cpuMillisForLevel}). */
  public static final int MAX_CPU_LEVEL = 8;

  /**
   * Docker refuses a smaller memory limit (a 4m container would only fail to start on its node,
   * long after the request was accepted).
   */
  public static final long MIN_MEMORY_BYTES = 6L << 20;

  /** Far beyond any node; keeps arithmetic on limits safe. */
  public static final long MAX_MEMORY_BYTES = 1L << 40;

  private Limits() {}

  /** Why {@code n} cannot be a proc's instance count, or empty. */
  public static Optional<String> instancesProblem(long n) {
    return n >= 0 && n <= MAX_INSTANCES
        ? Optional.empty()
        : Optional.of(
            "must be 0.."
                + MAX_INSTANCES
                + " (0 or more, at most "
                + MAX_INSTANCES
                + " instances per proc), not "
                + n);
  }

  /** Why {@code level} cannot be a proc's cpu level, or empty. */
  public static Optional<String> cpuProblem(long level) {
    return level >= 0 && level <= MAX_CPU_LEVEL
        ? Optional.empty()
        : Optional.of("must be 0.." + MAX_CPU_LEVEL + " (LAIN's cpu levels), not " + level);
  }

  /** Why {@code bytes} cannot be a memory limit, or empty; {@code text} is how it was written. */
  public static Optional<String> memoryProblem(long bytes, String text) {
    if (bytes < MIN_MEMORY_BYTES) {
      return Optional.of("\"" + text + "\" is below docker's minimum of 6m; use 6m or more");
    }
    if (bytes > MAX_MEMORY_BYTES) {
      return Optional.of("\"" + text + "\" is more than 1024g");
    }
    return Optional.empty();
  }

  /** Throws {@link IllegalArgumentException} naming {@code field} if {@code problem} is present. */
  public static void require(String field, Optional<String> problem) {
    problem.ifPresent(
        p -> {
          throw new IllegalArgumentException(field + " " + p);
        });
  }
}
