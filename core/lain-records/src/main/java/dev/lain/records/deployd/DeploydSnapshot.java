package dev.lain.records.deployd;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.router.RouterStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything deployd keeps in the store, read at one go.
 *
 * @param revision the store revision of the read (watch from {@code revision + 1})
 * @param nodes registered nodes by name
 * @param alive names of nodes whose heartbeat lease is live
 * @param unreadable keys whose value could not be read, with why (written by hand or by a newer
 *     version); they are left alone
 * @param assignmentRevisions the revision each assignment was last written at
 * @param routers the live webrouters' reports by name
 */
public record DeploydSnapshot(
    long revision,
    Map<String, Versioned<PodGroupRecord>> podGroups,
    Map<String, PodGroupCondition> conditions,
    List<Assignment> assignments,
    List<InstanceStatus> instances,
    Map<String, NodeInfo> nodes,
    Set<String> alive,
    Map<String, NodeMode> modes,
    Map<String, String> unreadable,
    Map<InstanceId, Long> assignmentRevisions,
    Map<String, RouterStatus> routers) {

  public DeploydSnapshot {
    podGroups = Map.copyOf(podGroups);
    conditions = Map.copyOf(conditions);
    assignments = List.copyOf(assignments);
    instances = List.copyOf(instances);
    nodes = Map.copyOf(nodes);
    alive = Set.copyOf(alive);
    modes = Map.copyOf(modes);
    unreadable = Map.copyOf(unreadable);
    assignmentRevisions = Map.copyOf(assignmentRevisions);
    routers = Map.copyOf(routers);
  }

  public NodeMode modeOf(String node) {
    return modes.getOrDefault(node, NodeMode.ACTIVE);
  }
}
