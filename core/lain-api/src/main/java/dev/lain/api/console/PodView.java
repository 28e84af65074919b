package dev.lain.api.console;

import java.time.Instant;

/**
 * One instance copy and where it runs.
 *
 * @param target {@code run} or {@code stop}
 * @param state empty until its agent reports, then {@code creating}, {@code running}, ...
 * @param health {@code none}, {@code starting}, {@code healthy} or {@code unhealthy}
 * @param address its address on the cluster's container network, empty when it has none
 * @param port the proc's port in the container, 0 if none
 * @param hostPort the port published on {@code nodeIp}, 0 if none
 */
public record PodView(
    int instance,
    long version,
    String containerName,
    String node,
    String nodeIp,
    String address,
    int port,
    int hostPort,
    String target,
    String state,
    String health,
    int restarts,
    String error,
    Instant since) {

  /** Running as it should, and not failing its checks. */
  public boolean ready() {
    return target.equals("run")
        && state.equals("running")
        && (health.equals("healthy") || health.equals("none"));
  }

  /**
   * Where it is reached: its own {@code address:port} on the container network, else {@code
   * nodeIp:hostPort}, or the address alone without a port (empty before the agent reports).
   */
  public String endpoint() {
    if (!address.isEmpty()) {
      return port > 0 ? address + ":" + port : address;
    }
    return hostPort > 0 ? nodeIp + ":" + hostPort : nodeIp;
  }
}
