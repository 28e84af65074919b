package dev.lain.api.console;

import java.time.Instant;

/**
 * One instance copy and where it runs.
 *
 * @param target {@code run} or {@code stop}
 * @param state empty until its agent reports, then {@code creating}, {@code running}, ...
 * @param health {@code none}, {@code starting}, {@code healthy} or {@code unhealthy}
 * @param hostPort the port published on {@code nodeIp}, 0 if none
 */
public record PodView(
    int instance,
    long version,
    String containerName,
    String node,
    String nodeIp,
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

  /** {@code ip:port}, or the IP alone without a port (empty before the agent reports). */
  public String address() {
    return hostPort > 0 ? nodeIp + ":" + hostPort : nodeIp;
  }
}
