package dev.lain.model.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How the engine is doing, for {@code GET /api/status} and {@code lainctl}.
 *
 * @param lastPass when the last reconciliation ran
 * @param revision the store revision it read
 * @param actions how many actions it took
 * @param took how long it took
 * @param alerts what needs an operator now (e.g. the node-loss circuit breaker is open)
 * @param paused whether an operator stopped the engine
 */
public record EngineStatus(
    Instant lastPass,
    long passes,
    long revision,
    int actions,
    Duration took,
    List<String> alerts,
    boolean paused) {
  public EngineStatus {
    alerts = List.copyOf(alerts);
  }

  public static EngineStatus starting(Instant now) {
    return new EngineStatus(now, 0, 0, 0, Duration.ZERO, List.of(), false);
  }
}
