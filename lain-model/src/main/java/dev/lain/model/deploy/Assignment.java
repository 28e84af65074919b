package dev.lain.model.deploy;

import java.time.Instant;
import java.util.Objects;

/**
 * The engine's instruction to one node: run (or keep stopped) this instance with this spec. The
 * node's agent makes its containers match its assignments.
 *
 * @param spec the pod group's spec at {@code id.version()}
 * @param restartGeneration raised to ask the agent to restart the instance's container
 * @param assignedAt when the engine made the assignment (upgrade and placement timeouts count from
 *     it)
 */
public record Assignment(
    InstanceId id,
    String node,
    PodGroupSpec spec,
    TargetState target,
    long restartGeneration,
    Instant assignedAt) {
  public Assignment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(assignedAt, "assignedAt");
    if (!spec.name().equals(id.podGroup()) || spec.version() != id.version()) {
      throw new IllegalArgumentException(
          "assignment " + id + " carries the spec of " + spec.name() + " v" + spec.version());
    }
  }

  public Assignment withTarget(TargetState newTarget) {
    return new Assignment(id, node, spec, newTarget, restartGeneration, assignedAt);
  }

  public Assignment restarted() {
    return new Assignment(id, node, spec, target, restartGeneration + 1, assignedAt);
  }
}
