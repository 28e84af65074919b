package dev.lain.scheduler.placement;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.Resources;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One instance to place.
 *
 * @param request the memory and CPU the instance reserves
 * @param constraints label rules every chosen node must match (all of them)
 * @param requiredNode for stateful or volume-holding instances: the node they must come back on
 * @param avoidNodes nodes the instance must not go to (e.g. the node it drifts away from)
 */
public record PlacementRequest(
    InstanceId id,
    Resources request,
    List<NodeConstraint> constraints,
    Optional<String> requiredNode,
    Set<String> avoidNodes) {
  public PlacementRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(requiredNode, "requiredNode");
    avoidNodes = Set.copyOf(avoidNodes);
  }

  /** An instance that may go to any node matching {@code constraints}. */
  public static PlacementRequest of(
      InstanceId id, Resources request, List<NodeConstraint> constraints) {
    return new PlacementRequest(id, request, constraints, Optional.empty(), Set.of());
  }

  /** This request pinned to {@code node}. */
  public PlacementRequest withRequiredNode(String node) {
    return new PlacementRequest(id, request, constraints, Optional.of(node), avoidNodes);
  }

  /** This request kept off {@code nodes}. */
  public PlacementRequest withAvoidNodes(Set<String> nodes) {
    return new PlacementRequest(id, request, constraints, requiredNode, nodes);
  }
}
