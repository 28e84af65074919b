package dev.lain.scheduler.placement;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.Resources;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The placement rules written as plainly as possible: filter every node, take the minimum. Slow and
 * obviously right; {@link Placement} must choose exactly as this does.
 */
final class ReferencePlacement {
  private Map<String, NodeView> nodes = new TreeMap<>();

  ReferencePlacement(Collection<NodeView> nodes) {
    nodes.forEach(n -> this.nodes.put(n.name(), n));
  }

  static boolean feasible(NodeView node, PlacementRequest r) {
    return node.acceptsNewInstances()
        && r.constraints().stream().allMatch(c -> c.matches(node.info().labels()))
        && r.request().fitsIn(node.info().capacity().minus(node.allocated()))
        && !r.avoidNodes().contains(node.name())
        && r.requiredNode().map(node.name()::equals).orElse(true);
  }

  Optional<String> choose(PlacementRequest r) {
    String podGroup = r.id().podGroup();
    Comparator<NodeView> spread =
        Comparator.<NodeView>comparingInt(n -> n.instancesOf(podGroup))
            .thenComparing(
                n -> n.free().minus(r.request()).memoryBytes(), Comparator.reverseOrder())
            .thenComparing(n -> n.free().minus(r.request()).cpuMillis(), Comparator.reverseOrder())
            .thenComparing(NodeView::name);
    return nodes.values().stream().filter(n -> feasible(n, r)).min(spread).map(NodeView::name);
  }

  PlacementOutcome placeGroup(List<PlacementRequest> requests) {
    Map<String, NodeView> before = new TreeMap<>(nodes);
    Map<InstanceId, String> placed = new LinkedHashMap<>();
    for (PlacementRequest r : requests) {
      Optional<String> node = choose(r);
      if (node.isEmpty()) {
        nodes = before;
        return new PlacementOutcome.Unplaceable(r, "(reference gives no reason)");
      }
      NodeView n = nodes.get(node.get());
      Map<String, Integer> counts = new HashMap<>(n.instancesPerPodGroup());
      counts.merge(r.id().podGroup(), 1, Integer::sum);
      nodes.put(
          n.name(),
          new NodeView(n.info(), n.allocated().plus(r.request()), n.acceptsNewInstances(), counts));
      placed.put(r.id(), node.get());
    }
    return new PlacementOutcome.Placed(placed);
  }

  void release(String node, String podGroup, Resources request) {
    NodeView n = nodes.get(node);
    Map<String, Integer> counts = new HashMap<>(n.instancesPerPodGroup());
    counts.merge(podGroup, -1, Integer::sum);
    nodes.put(
        node,
        new NodeView(n.info(), n.allocated().minus(request), n.acceptsNewInstances(), counts));
  }

  List<NodeView> views() {
    return List.copyOf(nodes.values());
  }
}
