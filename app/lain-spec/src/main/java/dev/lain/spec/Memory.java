package dev.lain.spec;

import java.util.Objects;

/**
 * A memory limit as written ({@code 256m}, {@code 1G}) and in bytes.
 *
 * @param text the value as written in lain.yaml
 * @param bytes the limit in bytes (m = MiB, g = GiB)
 */
public record Memory(String text, long bytes) {
  /** Docker refuses smaller limits. */
  public static final long DOCKER_MINIMUM_BYTES = 6L << 20;

  /** LAIN's default. */
  public static final Memory DEFAULT = new Memory("32m", 32L << 20);

  public Memory {
    Objects.requireNonNull(text, "text");
    if (bytes < DOCKER_MINIMUM_BYTES) {
      throw new IllegalArgumentException("memory below docker's 6m minimum: " + text);
    }
  }
}
