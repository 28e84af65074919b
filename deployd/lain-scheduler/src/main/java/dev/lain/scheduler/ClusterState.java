package dev.lain.scheduler;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import java.util.List;
import java.util.Map;

/**
 * Everything the reconciler looks at: what should run (pod groups), where things are assigned, what
 * the agents report, and the nodes.
 *
 * @param instances the latest status of each incarnation, by id
 * @param conditions what the engine last said about each pod group
 * @param assignmentRevisions the store revision each assignment was last written at
 * @param routers the live webrouters and the store revision each has applied
 */
public record ClusterState(
    Map<String, PodGroupRecord> podGroups,
    Map<String, NodeState> nodes,
    List<Assignment> assignments,
    Map<InstanceId, InstanceStatus> instances,
    Map<String, PodGroupCondition> conditions,
    Map<InstanceId, Long> assignmentRevisions,
    Map<String, Long> routers) {
  public ClusterState {
    podGroups = Map.copyOf(podGroups);
    nodes = Map.copyOf(nodes);
    assignments = List.copyOf(assignments);
    instances = Map.copyOf(instances);
    conditions = Map.copyOf(conditions);
    assignmentRevisions = Map.copyOf(assignmentRevisions);
    routers = Map.copyOf(routers);
  }

  /** A cluster without webrouters (nothing to drain). */
  public ClusterState(
      Map<String, PodGroupRecord> podGroups,
      Map<String, NodeState> nodes,
      List<Assignment> assignments,
      Map<InstanceId, InstanceStatus> instances,
      Map<String, PodGroupCondition> conditions) {
    this(podGroups, nodes, assignments, instances, conditions, Map.of(), Map.of());
  }
}
