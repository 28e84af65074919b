package dev.lain.agent;

import dev.lain.model.deploy.NodeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one node agent runs.
 *
 * @param node the node it registers and serves
 * @param dataRoot where instance volumes live: {@code <dataRoot>/volumes/<app>/<pod group>/<n>/...}
 * @param firstHostPort the range instances' ports are published from, on the node IP
 * @param heartbeatTtl the heartbeat lease: the engine notices a dead agent this long after its last
 *     keep-alive
 * @param resync how often the agent re-reads everything even if nothing told it to
 * @param restartBackoff the pause before the first restart of an exited instance (doubling, up to
 *     {@code maxRestartBackoff})
 * @param crashLoopRestarts an instance restarted this many times within {@code crashLoopWindow} is
 *     left stopped and reported as crash-looping
 */
public record AgentConfig(
    NodeInfo node,
    Path dataRoot,
    int firstHostPort,
    int lastHostPort,
    Duration heartbeatTtl,
    Duration resync,
    Duration restartBackoff,
    Duration maxRestartBackoff,
    int crashLoopRestarts,
    Duration crashLoopWindow) {

  public AgentConfig {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(dataRoot, "dataRoot");
    if (firstHostPort < 1 || lastHostPort > 65535 || firstHostPort > lastHostPort) {
      throw new IllegalArgumentException(
          "bad host port range " + firstHostPort + "-" + lastHostPort);
    }
    Objects.requireNonNull(heartbeatTtl, "heartbeatTtl");
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(restartBackoff, "restartBackoff");
    Objects.requireNonNull(maxRestartBackoff, "maxRestartBackoff");
    if (crashLoopRestarts < 1) {
      throw new IllegalArgumentException("crashLoopRestarts must be at least 1");
    }
    Objects.requireNonNull(crashLoopWindow, "crashLoopWindow");
  }

  /** Production defaults for {@code node}. */
  public static AgentConfig defaults(NodeInfo node, Path dataRoot) {
    return new AgentConfig(
        node,
        dataRoot,
        20000,
        29999,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        5,
        Duration.ofMinutes(5));
  }

  public AgentConfig withTimings(
      Duration newHeartbeatTtl, Duration newResync, Duration newBackoff, Duration newMaxBackoff) {
    return new AgentConfig(
        node,
        dataRoot,
        firstHostPort,
        lastHostPort,
        newHeartbeatTtl,
        newResync,
        newBackoff,
        newMaxBackoff,
        crashLoopRestarts,
        crashLoopWindow);
  }

  public AgentConfig withCrashLoop(int restarts, Duration window) {
    return new AgentConfig(
        node,
        dataRoot,
        firstHostPort,
        lastHostPort,
        heartbeatTtl,
        resync,
        restartBackoff,
        maxRestartBackoff,
        restarts,
        window);
  }

  public AgentConfig withPorts(int first, int last) {
    return new AgentConfig(
        node,
        dataRoot,
        first,
        last,
        heartbeatTtl,
        resync,
        restartBackoff,
        maxRestartBackoff,
        crashLoopRestarts,
        crashLoopWindow);
  }
}
