package dev.lain.model.deploy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An instance as its node's agent last saw it.
 *
 * @param address the container's address on the cluster's container network, empty when it is not
 *     on one (a node without a container network, or no container)
 * @param port the proc's port inside the container, 0 if none
 * @param hostPort the port published on {@code nodeIp}, 0 if none
 * @param restarts how often the agent restarted it
 * @param exitCode the last exit code (meaningful once it has exited)
 * @param error the last failure, empty if none
 * @param since when it entered {@code state}
 */
public record InstanceStatus(
    InstanceId id,
    String node,
    String nodeIp,
    String address,
    int port,
    int hostPort,
    RunState state,
    Health health,
    int restarts,
    boolean oomKilled,
    int exitCode,
    String error,
    Instant since) {
  public InstanceStatus {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(nodeIp, "nodeIp");
    // Reports written before the container network have no address.
    address = address == null ? "" : address;
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(since, "since");
  }

  /**
   * Where the proc's port is reached: the container's own address when it has one (no host port in
   * between), else the port published on the node; empty if neither.
   */
  public Optional<Endpoint> endpoint() {
    return Endpoint.of(address, port, nodeIp, hostPort);
  }

  /** An address and port to connect to. */
  public record Endpoint(String host, int port) {
    /** The container's address and port if it has an address, else the published host port. */
    public static Optional<Endpoint> of(String address, int port, String nodeIp, int hostPort) {
      if (!address.isEmpty() && port > 0) {
        return Optional.of(new Endpoint(address, port));
      }
      return hostPort > 0 ? Optional.of(new Endpoint(nodeIp, hostPort)) : Optional.empty();
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** A oneshot that finished successfully. */
  public boolean completed() {
    return state == RunState.EXITED && exitCode == 0;
  }
}
