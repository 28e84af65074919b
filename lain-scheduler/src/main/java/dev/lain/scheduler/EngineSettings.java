package dev.lain.scheduler;

import java.time.Duration;
import java.util.Objects;

/**
 * The engine's tunables.
 *
 * @param nodeGrace how long a node's heartbeat may be gone before its instances are replaced
 *     elsewhere (with the agent's heartbeat TTL this decides how fast a lost node is healed)
 * @param readyTimeout the least time a new instance gets to become ready before an upgrade counts
 *     as failed (setup time and health check rounds are added to it)
 * @param breakerNodes this many nodes lost at once (or more than half the cluster) stops all
 *     rescheduling and raises an alert: more likely a network split than dead machines
 */
public record EngineSettings(Duration nodeGrace, Duration readyTimeout, int breakerNodes) {
  public static final EngineSettings DEFAULT =
      new EngineSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 3);

  public EngineSettings {
    Objects.requireNonNull(nodeGrace, "nodeGrace");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    if (breakerNodes < 1) {
      throw new IllegalArgumentException("breakerNodes must be at least 1");
    }
  }
}
