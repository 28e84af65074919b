package dev.lain.records.deployd;

import dev.lain.api.deployd.NodeSummary;
import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.Resources;
import dev.lain.model.router.RouterStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** A pod group with the engine's verdict and every assigned copy of its instances. */
  public Optional<PodGroupView> podGroupView(String name) {
    Versioned<PodGroupRecord> record = podGroups.get(name);
    if (record == null) {
      return Optional.empty();
    }
    Map<InstanceId, InstanceStatus> statuses = new HashMap<>();
    for (InstanceStatus s : instances) {
      statuses.put(s.id(), s);
    }
    List<PodGroupView.InstanceView> copies =
        assignments.stream()
            .filter(a -> a.id().podGroup().equals(name))
            .sorted(Comparator.comparing(Assignment::id))
            .map(
                a -> {
                  InstanceStatus s = statuses.get(a.id());
                  return PodGroupView.InstanceView.of(
                      a, s != null && s.node().equals(a.node()) ? s : null);
                })
            .toList();
    PodGroupCondition condition =
        conditions.getOrDefault(name, new PodGroupCondition("pending", "", Instant.EPOCH));
    return Optional.of(
        new PodGroupView(name, record.value().spec().app(), record.value(), condition, copies));
  }

  /** Every pod group (of {@code app}, if given), by name. */
  public List<PodGroupView> podGroupViews(Optional<String> app) {
    return podGroups.keySet().stream()
        .sorted()
        .map(this::podGroupView)
        .flatMap(Optional::stream)
        .filter(v -> app.map(v.app()::equals).orElse(true))
        .toList();
  }

  /** Every node with what is allocated on it, by name. */
  public List<NodeSummary> nodeSummaries() {
    Map<String, Resources> allocated = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (Assignment a : assignments) {
      allocated.merge(a.node(), a.spec().container().request(), Resources::plus);
      counts.merge(a.node(), 1, Integer::sum);
    }
    return nodes.values().stream()
        .sorted(Comparator.comparing(NodeInfo::name))
        .map(
            n ->
                new NodeSummary(
                    n.name(),
                    n.ip(),
                    n.sshPort(),
                    alive.contains(n.name()),
                    modeOf(n.name()),
                    n.capacity(),
                    allocated.getOrDefault(n.name(), Resources.ZERO),
                    counts.getOrDefault(n.name(), 0),
                    n.labels()))
        .toList();
  }
}
