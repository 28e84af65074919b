package dev.lain.scheduler.placement;

import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The working table behind {@link Placement}: nodes numbered in name order, their free resources in
 * flat arrays (shared with the indexes), instance counts per pod group both ways (per node for
 * views, per pod group for the few nodes that already hold one), and one {@link ConstraintClass}
 * per constraint set seen.
 */
final class NodeTable {
  private static final Comparator<NodeConstraint> CONSTRAINT_ORDER =
      Comparator.comparing(NodeConstraint::label)
          .thenComparing(NodeConstraint::equal)
          .thenComparing(NodeConstraint::value);

  private final NodeInfo[] infos;
  private final Map<String, Integer> numbers = new HashMap<>();
  private final boolean[] accepts;
  private final long[] capacityMemory;
  private final long[] capacityCpu;
  private final long[] allocatedMemory;
  private final long[] allocatedCpu;
  final long[] freeMemory;
  final long[] freeCpu;
  private final List<Map<String, Integer>> counts;
  private final Map<String, Set<Integer>> holders = new HashMap<>();
  private final List<List<SpreadIndex>> indexesOf;
  private final Tuning tuning;
  private int indexCount;
  private final Map<GroupKey, SpreadIndex> groupIndexes = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<List<NodeConstraint>, ConstraintClass> classesAsGiven = new HashMap<>();
  private final Map<List<NodeConstraint>, ConstraintClass> classes = new HashMap<>();

  /** A pod group's own index within one constraint class. */
  private record GroupKey(List<NodeConstraint> constraints, String podGroup) {}

  NodeTable(List<NodeView> nodesByName, Tuning tuning) {
    int n = nodesByName.size();
    this.tuning = tuning;
    infos = new NodeInfo[n];
    accepts = new boolean[n];
    capacityMemory = new long[n];
    capacityCpu = new long[n];
    allocatedMemory = new long[n];
    allocatedCpu = new long[n];
    freeMemory = new long[n];
    freeCpu = new long[n];
    counts = new ArrayList<>(n);
    indexesOf = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NodeView view = nodesByName.get(i);
      infos[i] = view.info();
      numbers.put(view.name(), i);
      accepts[i] = view.acceptsNewInstances();
      capacityMemory[i] = view.info().capacity().memoryBytes();
      capacityCpu[i] = view.info().capacity().cpuMillis();
      allocatedMemory[i] = view.allocated().memoryBytes();
      allocatedCpu[i] = view.allocated().cpuMillis();
      refreshFree(i);
      counts.add(new HashMap<>(view.instancesPerPodGroup()));
      for (String podGroup : view.instancesPerPodGroup().keySet()) {
        holders.computeIfAbsent(podGroup, k -> new HashSet<>()).add(i);
      }
      indexesOf.add(new ArrayList<>(2));
    }
  }

  int size() {
    return infos.length;
  }

  /** The node's number, or -1 if the table has no such node. */
  int number(String name) {
    return numbers.getOrDefault(name, -1);
  }

  NodeInfo info(int node) {
    return infos[node];
  }

  String name(int node) {
    return infos[node].name();
  }

  boolean accepts(int node) {
    return accepts[node];
  }

  boolean fits(int node, Resources request) {
    return request.memoryBytes() <= freeMemory[node] && request.cpuMillis() <= freeCpu[node];
  }

  int instances(int node, String podGroup) {
    return counts.get(node).getOrDefault(podGroup, 0);
  }

  boolean holds(int node, String podGroup) {
    return counts.get(node).containsKey(podGroup);
  }

  /** The nodes holding at least one instance of {@code podGroup}. */
  Set<Integer> holders(String podGroup) {
    return holders.getOrDefault(podGroup, Set.of());
  }

  /** True if {@code a} comes before {@code b} by the spread key for {@code podGroup}. */
  boolean spreadsBefore(int a, int b, String podGroup) {
    int ca = instances(a, podGroup);
    int cb = instances(b, podGroup);
    if (ca != cb) {
      return ca < cb;
    }
    if (freeMemory[a] != freeMemory[b]) {
      return freeMemory[a] > freeMemory[b];
    }
    if (freeCpu[a] != freeCpu[b]) {
      return freeCpu[a] > freeCpu[b];
    }
    return a < b;
  }

  NodeView view(int node) {
    return new NodeView(
        infos[node],
        new Resources(allocatedMemory[node], allocatedCpu[node]),
        accepts[node],
        counts.get(node));
  }

  void allocate(int node, String podGroup, Resources request) {
    allocatedMemory[node] += request.memoryBytes();
    allocatedCpu[node] += request.cpuMillis();
    refreshFree(node);
    if (counts.get(node).merge(podGroup, 1, Integer::sum) == 1) {
      holders.computeIfAbsent(podGroup, k -> new HashSet<>()).add(node);
    }
    touch(node);
  }

  void release(int node, String podGroup, Resources request) {
    Map<String, Integer> nodeCounts = counts.get(node);
    int count = nodeCounts.getOrDefault(podGroup, 0);
    if (count == 0) {
      throw new IllegalArgumentException(
          "cannot release an instance of " + podGroup + " from " + name(node) + ": it holds none");
    }
    if (request.memoryBytes() > allocatedMemory[node] || request.cpuMillis() > allocatedCpu[node]) {
      throw new IllegalArgumentException(
          "cannot release ("
              + Reasons.size(request)
              + ") of "
              + podGroup
              + " from "
              + name(node)
              + ": only ("
              + Reasons.size(new Resources(allocatedMemory[node], allocatedCpu[node]))
              + ") is allocated there");
    }
    allocatedMemory[node] -= request.memoryBytes();
    allocatedCpu[node] -= request.cpuMillis();
    refreshFree(node);
    if (count == 1) {
      nodeCounts.remove(podGroup);
      Set<Integer> nodes = holders.get(podGroup);
      nodes.remove(node);
      if (nodes.isEmpty()) {
        holders.remove(podGroup);
      }
    } else {
      nodeCounts.put(podGroup, count - 1);
    }
    touch(node);
  }

  private void touch(int node) {
    for (SpreadIndex index : indexesOf.get(node)) {
      index.touch(node);
    }
    for (SpreadIndex index : groupIndexes.values()) {
      index.touch(node);
    }
  }

  /**
   * The pod group's own index over {@code cls}, ordered by its instance count first, if it is
   * spread over enough nodes to need one.
   */
  Optional<SpreadIndex> groupIndex(ConstraintClass cls, String podGroup) {
    if (holders(podGroup).size() < tuning.groupIndexFrom() || tuning.maxGroupIndexes() == 0) {
      return Optional.empty();
    }
    GroupKey key = new GroupKey(cls.constraints(), podGroup);
    SpreadIndex index = groupIndexes.get(key);
    if (index == null) {
      if (groupIndexes.size() >= tuning.maxGroupIndexes()) {
        Iterator<SpreadIndex> leastRecentlyUsed = groupIndexes.values().iterator();
        leastRecentlyUsed.next();
        leastRecentlyUsed.remove();
      }
      index =
          new SpreadIndex(
              cls.eligible().stream().toArray(),
              infos.length,
              freeMemory,
              freeCpu,
              node -> instances(node, podGroup));
      groupIndexes.put(key, index);
    }
    return Optional.of(index);
  }

  /** The class of nodes for {@code constraints}, computed on first use. */
  ConstraintClass classFor(List<NodeConstraint> constraints) {
    ConstraintClass known = classesAsGiven.get(constraints);
    if (known != null) {
      return known;
    }
    TreeSet<NodeConstraint> distinct = new TreeSet<>(CONSTRAINT_ORDER);
    distinct.addAll(constraints);
    List<NodeConstraint> normal = List.copyOf(distinct);
    ConstraintClass cls = classes.computeIfAbsent(normal, this::newClass);
    classesAsGiven.put(List.copyOf(constraints), cls);
    return cls;
  }

  private ConstraintClass newClass(List<NodeConstraint> constraints) {
    int[] matching = new int[infos.length];
    int matched = 0;
    BitSet eligible = new BitSet(infos.length);
    for (int node = 0; node < infos.length; node++) {
      if (matchesAll(node, constraints)) {
        matching[matched++] = node;
        if (accepts[node]) {
          eligible.set(node);
        }
      }
    }
    int[] members = eligible.stream().toArray();
    Candidates candidates;
    if (indexCount < tuning.maxSharedIndexes()) {
      indexCount++;
      SpreadIndex index = new SpreadIndex(members, infos.length, freeMemory, freeCpu, node -> 0);
      for (int node : members) {
        indexesOf.get(node).add(index);
      }
      candidates = index;
    } else {
      candidates = new ScanCandidates(members, freeMemory, freeCpu);
    }
    return new ConstraintClass(constraints, Arrays.copyOf(matching, matched), eligible, candidates);
  }

  boolean matchesAll(int node, List<NodeConstraint> constraints) {
    Map<String, String> labels = infos[node].labels();
    for (NodeConstraint c : constraints) {
      if (!c.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  private void refreshFree(int node) {
    freeMemory[node] = Math.max(0, capacityMemory[node] - allocatedMemory[node]);
    freeCpu[node] = Math.max(0, capacityCpu[node] - allocatedCpu[node]);
  }
}
