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
 * @param drainDelay how long a leaving web instance keeps running after every router stopped
 *     sending it requests, so requests in flight can finish
 */
public record EngineSettings(
    Duration nodeGrace, Duration readyTimeout, int breakerNodes, Duration drainDelay) {
  public static final EngineSettings DEFAULT =
      new EngineSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 3, Duration.ofSeconds(3));

  /** Settings with the default drain delay. */
  public EngineSettings(Duration nodeGrace, Duration readyTimeout, int breakerNodes) {
    this(nodeGrace, readyTimeout, breakerNodes, DEFAULT_DRAIN_DELAY);
  }

  private static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(3);

  public EngineSettings {
    Objects.requireNonNull(nodeGrace, "nodeGrace");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    if (breakerNodes < 1) {
      throw new IllegalArgumentException("breakerNodes must be at least 1");
    }
    Objects.requireNonNull(drainDelay, "drainDelay");
  }
}
