package dev.lain.model.deploy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's instruction to one node: run (or keep stopped) this instance with this spec. The
 * node's agent makes its containers match its assignments.
 *
 * @param spec the pod group's spec at {@code id.version()}
 * @param restartGeneration raised to ask the agent to restart the instance's container
 * @param assignedAt when the engine made the assignment (upgrade and placement timeouts count from
 *     it)
 * @param drainingSince set when the instance is leaving: routers stop sending it requests, and the
 *     engine removes it once every router has applied that and in-flight requests had time to end
 */
public record Assignment(
    InstanceId id,
    String node,
    PodGroupSpec spec,
    TargetState target,
    long restartGeneration,
    Instant assignedAt,
    Optional<Instant> drainingSince) {
  public Assignment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(assignedAt, "assignedAt");
    Objects.requireNonNull(drainingSince, "drainingSince");
    if (!spec.name().equals(id.podGroup()) || spec.version() != id.version()) {
      throw new IllegalArgumentException(
          "assignment " + id + " carries the spec of " + spec.name() + " v" + spec.version());
    }
  }

  /** An assignment that is not leaving. */
  public Assignment(
      InstanceId id,
      String node,
      PodGroupSpec spec,
      TargetState target,
      long restartGeneration,
      Instant assignedAt) {
    this(id, node, spec, target, restartGeneration, assignedAt, Optional.empty());
  }

  public boolean draining() {
    return drainingSince.isPresent();
  }

  /** This assignment, leaving from {@code since} on. */
  public Assignment drainingFrom(Instant since) {
    return new Assignment(
        id, node, spec, target, restartGeneration, assignedAt, Optional.of(since));
  }

  public Assignment withTarget(TargetState newTarget) {
    return new Assignment(id, node, spec, newTarget, restartGeneration, assignedAt, drainingSince);
  }
}
