package dev.lain.model.deploy;

import java.time.Duration;
import java.util.Objects;

/**
 * How to tell that an instance is ready. Docker runs a {@link Command} inside the container; the
 * node agent itself probes an {@link Http} path on the published port; with {@link None} an
 * instance is ready once it has been running for the pod group's setup time.
 */
public sealed interface HealthCheck {

  /** Checks the running container every {@code interval}. */
  Duration interval();

  record None() implements HealthCheck {
    @Override
    public Duration interval() {
      return Duration.ZERO;
    }
  }

  /** {@code CMD-SHELL <shell> || exit 1}, unhealthy after {@code retries} failures. */
  record Command(String shell, Duration interval, Duration timeout, int retries)
      implements HealthCheck {
    public Command {
      Objects.requireNonNull(shell, "shell");
      positive(interval, "interval");
      positive(timeout, "timeout");
      if (retries < 1) {
        throw new IllegalArgumentException("retries must be at least 1");
      }
    }
  }

  /** {@code GET http://<node ip>:<host port><path>}; 2xx and 3xx are healthy. */
  record Http(String path, Duration interval, Duration timeout, int retries)
      implements HealthCheck {
    public Http {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("health check path must start with /: " + path);
      }
      positive(interval, "interval");
      positive(timeout, "timeout");
      if (retries < 1) {
        throw new IllegalArgumentException("retries must be at least 1");
      }
    }
  }

  private static void positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }
}
