package dev.lain.model.deploy;

import java.time.Instant;
import java.util.Objects;

/**
 * An instance as its node's agent last saw it.
 *
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
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(since, "since");
  }

  /** A oneshot that finished successfully. */
  public boolean completed() {
    return state == RunState.EXITED && exitCode == 0;
  }
}
