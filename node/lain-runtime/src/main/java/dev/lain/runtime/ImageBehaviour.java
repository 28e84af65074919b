package dev.lain.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How containers of one image behave in a {@link FakeRuntime} once started: how they run ({@link
 * Run}) and what their health check says ({@link Health}). Durations count from each start, on the
 * fake runtime's clock.
 *
 * <pre>{@code
 * runtime.behave("app:1", ImageBehaviour.runsForever().healthyAfter(Duration.ofSeconds(5)));
 * runtime.behave("app:2", ImageBehaviour.exitsAfter(Duration.ofSeconds(1), 3));
 * }</pre>
 */
public record ImageBehaviour(Run run, Health health) {

  public ImageBehaviour {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(health, "health");
  }

  /** Runs until stopped; a health check in the request passes. The default for every image. */
  public static ImageBehaviour runsForever() {
    return new ImageBehaviour(new Run.Forever(), new Health.ByCheck(true));
  }

  /** Exits by itself with {@code exitCode} after running for {@code after}. */
  public static ImageBehaviour exitsAfter(Duration after, int exitCode) {
    return new ImageBehaviour(new Run.Exits(after, exitCode), new Health.ByCheck(true));
  }

  /** Is killed by the kernel's OOM killer after {@code after}: exit code 137, {@code oomKilled}. */
  public static ImageBehaviour oomKilledAfter(Duration after) {
    return new ImageBehaviour(new Run.OomKilled(after), new Health.ByCheck(true));
  }

  /** Never starts: {@code start} fails with {@code message} and the container stays created. */
  public static ImageBehaviour failsToStart(String message) {
    return new ImageBehaviour(new Run.FailsToStart(message), new Health.ByCheck(true));
  }

  /**
   * Reports {@link ContainerHealth#STARTING} from each start and {@link ContainerHealth#HEALTHY}
   * after {@code after}, as an image with its own HEALTHCHECK would, whether or not the request has
   * a health check.
   */
  public ImageBehaviour healthyAfter(Duration after) {
    return new ImageBehaviour(run, new Health.After(after, ContainerHealth.HEALTHY));
  }

  /** Reports starting from each start and {@link ContainerHealth#UNHEALTHY} after {@code after}. */
  public ImageBehaviour unhealthyAfter(Duration after) {
    return new ImageBehaviour(run, new Health.After(after, ContainerHealth.UNHEALTHY));
  }

  /**
   * The request's health check always fails: starting, then unhealthy after {@code interval ×
   * retries}, which is Docker's timing. A request without a health check reports no health.
   */
  public ImageBehaviour neverHealthy() {
    return new ImageBehaviour(run, new Health.ByCheck(false));
  }

  /** How the container's process runs once started. */
  public sealed interface Run {
    /** Runs until stopped or removed. */
    record Forever() implements Run {}

    /** Exits by itself with {@code exitCode} after running for {@code after}. */
    record Exits(Duration after, int exitCode) implements Run {
      public Exits {
        nonNegative(after, "after");
        if (exitCode < 0 || exitCode > 255) {
          throw new IllegalArgumentException("exit code must be 0..255: " + exitCode);
        }
      }
    }

    /** Killed for exceeding its memory limit after {@code after}. */
    record OomKilled(Duration after) implements Run {
      public OomKilled {
        nonNegative(after, "after");
      }
    }

    /**
     * The engine cannot start it (as Docker without init when the entrypoint is missing): {@code
     * start} throws {@link RuntimeFailure.Code#REJECTED} naming {@code message}.
     */
    record FailsToStart(String message) implements Run {
      public FailsToStart {
        Objects.requireNonNull(message, "message");
      }
    }
  }

  /** What the container's health check reports while it runs. */
  public sealed interface Health {
    /**
     * The request's health check decides: if it {@code passes}, healthy after one interval (when
     * Docker first runs it); if not, unhealthy after {@code interval × retries}. Without a health
     * check in the request the container reports {@link ContainerHealth#NONE}.
     */
    record ByCheck(boolean passes) implements Health {}

    /** Starting, then {@code verdict} after {@code after}; as if the image had a HEALTHCHECK. */
    record After(Duration after, ContainerHealth verdict) implements Health {
      public After {
        nonNegative(after, "after");
        if (verdict != ContainerHealth.HEALTHY && verdict != ContainerHealth.UNHEALTHY) {
          throw new IllegalArgumentException(
              "a health verdict is healthy or unhealthy: " + verdict);
        }
      }
    }
  }

  private static void nonNegative(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + duration);
    }
  }
}
