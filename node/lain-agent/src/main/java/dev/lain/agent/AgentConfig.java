package dev.lain.agent;

import dev.lain.model.deploy.NodeInfo;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param apiPort the port of the agent's API ({@link AgentApi}) on the node IP; 0 for any free port
 *     (tests); {@link #NO_API} for none. The port it listens on is registered with the node.
 * @param routerPorts the ports of node addresses app containers may open: the webrouter's (all
 *     others, the platform's among them, are closed to them)
 */
@RecordBuilder
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
    Duration crashLoopWindow,
    int apiPort,
    List<Integer> routerPorts)
    implements AgentConfigBuilder.With {

  /** {@link #apiPort}: the agent serves no API (and registers none). */
  public static final int NO_API = -1;

  /** The webrouter's ports in LAIN: 80 and 443 internal, 8080 and 8443 external. */
  public static final List<Integer> LAIN_ROUTER_PORTS = List.of(80, 443, 8080, 8443);

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
    if (apiPort < NO_API || apiPort > 65535) {
      throw new IllegalArgumentException("bad agent API port " + apiPort);
    }
    routerPorts = List.copyOf(routerPorts);
    for (int port : routerPorts) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("bad router port " + port);
      }
    }
  }

  /**
   * Production defaults for {@code node}, without the API (several agents of one test or benchmark
   * share an address); {@code laind agent} turns it on with {@link #withApiPort}.
   */
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
        Duration.ofMinutes(5),
        NO_API,
        LAIN_ROUTER_PORTS);
  }

  public AgentConfig withTimings(
      Duration newHeartbeatTtl, Duration newResync, Duration newBackoff, Duration newMaxBackoff) {
    return with(
        c ->
            c.heartbeatTtl(newHeartbeatTtl)
                .resync(newResync)
                .restartBackoff(newBackoff)
                .maxRestartBackoff(newMaxBackoff));
  }

  public AgentConfig withCrashLoop(int restarts, Duration window) {
    return with(c -> c.crashLoopRestarts(restarts).crashLoopWindow(window));
  }

  public AgentConfig withPorts(int first, int last) {
    return with(c -> c.firstHostPort(first).lastHostPort(last));
  }
}
