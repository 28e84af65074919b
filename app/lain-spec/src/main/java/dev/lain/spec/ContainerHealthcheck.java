package dev.lain.spec;

import java.util.Objects;

/**
 * Docker HEALTHCHECK for a proc's containers (run as {@code CMD-SHELL <cmd> || exit 1}).
 *
 * @param cmd the shell command; {@code none} disables the image's health check
 * @param intervalSeconds at least {@link #MIN_INTERVAL}
 * @param timeoutSeconds at least {@link #MIN_TIMEOUT}
 * @param retries at least {@link #MIN_RETRIES}
 */
public record ContainerHealthcheck(
    String cmd, int intervalSeconds, int timeoutSeconds, int retries) {
  /** deployd's minimums; smaller values are raised. Also the defaults. */
  public static final int MIN_INTERVAL = 10;

  public static final int MIN_TIMEOUT = 3;
  public static final int MIN_RETRIES = 3;

  public ContainerHealthcheck {
    Objects.requireNonNull(cmd, "cmd");
    if (cmd.isBlank()) {
      throw new IllegalArgumentException("a container healthcheck needs a command");
    }
    if (intervalSeconds < MIN_INTERVAL || timeoutSeconds < MIN_TIMEOUT || retries < MIN_RETRIES) {
      throw new IllegalArgumentException("container healthcheck below deployd's minimums");
    }
  }

  /** {@code cmd: none}: turn off the image's own HEALTHCHECK. */
  public boolean disabled() {
    return cmd.equals("none");
  }
}
