package dev.lain.scheduler.placement;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.Resources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which node gets each new instance, over a working table of nodes that it updates as it
 * places (and as the caller {@linkplain #release releases}), so one planning pass sees its own
 * decisions.
 *
 * <p>A node is <em>feasible</em> for a request if it takes new instances, matches every constraint,
 * has the requested memory and CPU free, is not on the avoid list, and is the required node when
 * one is given. Among feasible nodes the one chosen has the fewest instances of the request's pod
 * group; ties go to the most free memory after placement, then the most free CPU, then the node
 * name.
 *
 * <p>Pure and deterministic: the same nodes and calls give the same answers. Not thread-safe. Nodes
 * are indexed per constraint set by free resources, and pod groups spread over many nodes get their
 * own index by instance count first, so a placement costs about O(log n).
 */
public final class Placement {
  private static final int[] NO_NODES = {};

  private final NodeTable table;

  private Placement(NodeTable table) {
    this.table = table;
  }

  /** A table over {@code nodes}; node names must be distinct. */
  public static Placement over(Collection<NodeView> nodes) {
    return over(nodes, Tuning.DEFAULT);
  }

  /** As {@link #over(Collection)}, indexed as {@code tuning} says. */
  static Placement over(Collection<NodeView> nodes, Tuning tuning) {
    List<NodeView> byName = new ArrayList<>(nodes);
    byName.sort(Comparator.comparing(NodeView::name));
    for (int i = 1; i < byName.size(); i++) {
      if (byName.get(i).name().equals(byName.get(i - 1).name())) {
        throw new IllegalArgumentException("node " + byName.get(i).name() + " is given twice");
      }
    }
    return new Placement(new NodeTable(byName, tuning));
  }

  /**
   * Places every request, in order, or none: on success the table holds them all; if one cannot be
   * placed, the table is as it was before the call and the outcome says which and why.
   */
  public PlacementOutcome placeGroup(List<PlacementRequest> requests) {
    Set<InstanceId> ids = new HashSet<>();
    for (PlacementRequest request : requests) {
      if (!ids.add(request.id())) {
        throw new IllegalArgumentException("instance " + request.id() + " is requested twice");
      }
    }
    Map<InstanceId, String> placed = new LinkedHashMap<>();
    int[] chosen = new int[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      PlacementRequest request = requests.get(i);
      int node = choose(request);
      if (node == Candidates.NONE) {
        String reason = reason(request);
        for (int j = i - 1; j >= 0; j--) {
          PlacementRequest done = requests.get(j);
          table.release(chosen[j], done.id().podGroup(), done.request());
        }
        return new PlacementOutcome.Unplaceable(request, reason);
      }
      table.allocate(node, request.id().podGroup(), request.request());
      chosen[i] = node;
      placed.put(request.id(), table.name(node));
    }
    return new PlacementOutcome.Placed(placed);
  }

  /** Places one request: {@code placeGroup(List.of(request))}. */
  public PlacementOutcome place(PlacementRequest request) {
    return placeGroup(List.of(request));
  }

  /**
   * An instance of {@code podGroup} reserving {@code request} leaves {@code node} (scale down, a
   * stop-first upgrade) within the same planning pass: its resources and its place in the spread
   * count are free again.
   *
   * @throws IllegalArgumentException if the node is unknown, holds no instance of the pod group, or
   *     has less than {@code request} allocated
   */
  public void release(String node, String podGroup, Resources request) {
    Objects.requireNonNull(podGroup, "podGroup");
    Objects.requireNonNull(request, "request");
    table.release(known(node), podGroup, request);
  }

  /** The table's current view of {@code node}. */
  public NodeView view(String node) {
    return table.view(known(node));
  }

  /** The table's current view of every node, in name order. */
  public List<NodeView> views() {
    List<NodeView> views = new ArrayList<>(table.size());
    for (int node = 0; node < table.size(); node++) {
      views.add(table.view(node));
    }
    return List.copyOf(views);
  }

  private int known(String node) {
    int number = table.number(Objects.requireNonNull(node, "node"));
    if (number < 0) {
      throw new IllegalArgumentException("no node " + node + " in the placement table");
    }
    return number;
  }

  /** Why {@code request} cannot be placed on the table as it is. */
  private String reason(PlacementRequest request) {
    return request
        .requiredNode()
        .map(required -> Reasons.requiredNode(table, request, required))
        .orElseGet(
            () ->
                Reasons.noNode(
                    table,
                    request,
                    table.classFor(request.constraints()),
                    numbers(request.avoidNodes())));
  }

  /** The feasible node that spreads best, or {@link Candidates#NONE}. */
  private int choose(PlacementRequest request) {
    Resources wanted = request.request();
    if (request.requiredNode().isPresent()) {
      String required = request.requiredNode().get();
      int node = table.number(required);
      boolean feasible =
          node >= 0
              && table.accepts(node)
              && table.matchesAll(node, request.constraints())
              && !request.avoidNodes().contains(required)
              && table.fits(node, wanted);
      return feasible ? node : Candidates.NONE;
    }
    ConstraintClass cls = table.classFor(request.constraints());
    int[] avoid = numbers(request.avoidNodes());
    String podGroup = request.id().podGroup();
    Optional<SpreadIndex> own = table.groupIndex(cls, podGroup);
    if (own.isPresent()) {
      // Ordered by this pod group's instance count first: the first fit is the answer.
      return own.get()
          .best(wanted.memoryBytes(), wanted.cpuMillis(), node -> Reasons.contains(avoid, node));
    }
    // Nodes without an instance of the pod group come first; the index finds the best of them.
    int best =
        cls.candidates()
            .best(
                wanted.memoryBytes(),
                wanted.cpuMillis(),
                node -> table.holds(node, podGroup) || Reasons.contains(avoid, node));
    if (best != Candidates.NONE) {
      return best;
    }
    // Every node without one is infeasible: the best is among the few that hold some.
    for (int node : table.holders(podGroup)) {
      if (cls.eligible().get(node)
          && !Reasons.contains(avoid, node)
          && table.fits(node, wanted)
          && (best == Candidates.NONE || table.spreadsBefore(node, best, podGroup))) {
        best = node;
      }
    }
    return best;
  }

  private int[] numbers(Set<String> names) {
    if (names.isEmpty()) {
      return NO_NODES;
    }
    return names.stream().mapToInt(table::number).filter(n -> n >= 0).toArray();
  }
}
