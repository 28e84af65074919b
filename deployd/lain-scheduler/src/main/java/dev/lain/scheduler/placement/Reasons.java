package dev.lain.scheduler.placement;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Why a request cannot be placed, in words for an operator. Exact figures: a request's memory is
 * rounded up and free memory down, so a shortage never reads as a fit.
 */
final class Reasons {
  /** At most this many nodes are named; beyond it the reason gives counts. */
  static final int LISTED = 5;

  private static final String UNAVAILABLE = "unavailable (maintenance, draining or lost)";
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;
  private static final long GIB = 1024 * MIB;

  private Reasons() {}

  /** {@code hello.web.web i3}. */
  static String instance(InstanceId id) {
    return id.podGroup() + " i" + id.instance();
  }

  /** {@code 256 MiB, 0.25 CPU}. */
  static String size(Resources resources) {
    return memory(resources.memoryBytes(), RoundingMode.UP) + ", " + cpu(resources.cpuMillis());
  }

  /**
   * {@code 1 GiB} and {@code 256 MiB} when whole; else MiB (or KiB, or bytes) with one decimal,
   * rounded as told.
   */
  static String memory(long bytes, RoundingMode rounding) {
    if (bytes >= GIB && bytes % GIB == 0) {
      return bytes / GIB + " GiB";
    }
    if (bytes % MIB == 0) {
      return bytes / MIB + " MiB";
    }
    if (bytes >= MIB) {
      return decimal(bytes, MIB, rounding) + " MiB";
    }
    if (bytes >= KIB) {
      return decimal(bytes, KIB, rounding) + " KiB";
    }
    return bytes + " B";
  }

  /** {@code 0.25 CPU}, {@code 2 CPU}: cores, exactly. */
  static String cpu(long millis) {
    return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " CPU";
  }

  private static String decimal(long value, long unit, RoundingMode rounding) {
    return BigDecimal.valueOf(value)
        .divide(BigDecimal.valueOf(unit), 1, rounding)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** The request's required node cannot take it. */
  static String requiredNode(NodeTable table, PlacementRequest request, String required) {
    String head =
        instance(request.id())
            + " ("
            + size(request.request())
            + ") must return to "
            + required
            + " (its data is there) but "
            + required
            + " ";
    int node = table.number(required);
    if (node < 0) {
      return head + "is not in the cluster";
    }
    if (!table.accepts(node)) {
      return head + "is " + UNAVAILABLE;
    }
    List<String> problems = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (NodeConstraint c : distinct(request.constraints())) {
      if (!c.matches(table.info(node).labels())) {
        mismatched.add(c.text());
      }
    }
    if (!mismatched.isEmpty()) {
      problems.add("does not match " + String.join(" and ", mismatched));
    }
    if (request.avoidNodes().contains(required)) {
      problems.add("is on the avoid list");
    }
    if (!table.fits(node, request.request())) {
      problems.add(free(table, node, request.request()));
    }
    return head + series(problems);
  }

  /** No node can take the request (it has no required node). */
  static String noNode(
      NodeTable table, PlacementRequest request, ConstraintClass cls, int[] avoid) {
    String head =
        "no node can take " + instance(request.id()) + " (" + size(request.request()) + "): ";
    int total = table.size();
    if (total == 0) {
      return head + "the cluster has no nodes";
    }
    List<NodeConstraint> constraints = distinct(request.constraints());
    int[] matching = cls.matching();
    if (matching.length == 0) {
      return head + noMatch(table, constraints);
    }
    Resources wanted = request.request();
    // The short nodes closest to fitting (spread order), then avoided, then unavailable.
    int[] closest = new int[LISTED];
    int closestCount = 0;
    List<Integer> avoided = new ArrayList<>();
    List<Integer> unavailable = new ArrayList<>();
    int shortOfMemory = 0;
    int shortOfCpu = 0;
    int shortOfBoth = 0;
    for (int node : matching) {
      if (!table.accepts(node)) {
        unavailable.add(node);
        continue;
      }
      if (contains(avoid, node)) {
        avoided.add(node);
        continue;
      }
      boolean memory = table.freeMemory[node] < wanted.memoryBytes();
      boolean cpu = table.freeCpu[node] < wanted.cpuMillis();
      if (memory && cpu) {
        shortOfBoth++;
      } else if (memory) {
        shortOfMemory++;
      } else {
        shortOfCpu++;
      }
      closestCount = keepClosest(table, closest, closestCount, node);
    }
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < closestCount; i++) {
      listed.add(table.name(closest[i]) + " " + free(table, closest[i], wanted));
    }
    for (int node : avoided) {
      if (listed.size() < LISTED) {
        listed.add(table.name(node) + " is on the avoid list");
      }
    }
    for (int node : unavailable) {
      if (listed.size() < LISTED) {
        listed.add(table.name(node) + " is " + UNAVAILABLE);
      }
    }
    List<String> parts = new ArrayList<>();
    if (!constraints.isEmpty()) {
      parts.add(matchCount(matching.length, total) + " " + text(constraints));
    }
    if (matching.length > LISTED) {
      List<String> counts = new ArrayList<>();
      addCount(counts, shortOfMemory, "short of memory");
      addCount(counts, shortOfCpu, "short of CPU");
      addCount(counts, shortOfBoth, "short of memory and CPU");
      addCount(counts, avoided.size(), "on the avoid list");
      addCount(counts, unavailable.size(), UNAVAILABLE);
      parts.add(String.join(", ", counts));
      parts.add(String.join(", ", listed) + " and " + (matching.length - listed.size()) + " more");
    } else {
      parts.add(String.join(", ", listed));
    }
    return head + String.join("; ", parts);
  }

  /** Inserts {@code node} into the top of {@code closest} by spread order; returns the new size. */
  private static int keepClosest(NodeTable table, int[] closest, int size, int node) {
    int at = size;
    while (at > 0 && before(table, node, closest[at - 1])) {
      at--;
    }
    if (at >= LISTED) {
      return size;
    }
    int newSize = Math.min(size + 1, LISTED);
    System.arraycopy(closest, at, closest, at + 1, newSize - at - 1);
    closest[at] = node;
    return newSize;
  }

  private static boolean before(NodeTable table, int a, int b) {
    if (table.freeMemory[a] != table.freeMemory[b]) {
      return table.freeMemory[a] > table.freeMemory[b];
    }
    if (table.freeCpu[a] != table.freeCpu[b]) {
      return table.freeCpu[a] > table.freeCpu[b];
    }
    return a < b;
  }

  /** {@code has 120 MiB free}, {@code has 0.1 CPU free}, {@code has 120 MiB and 0.1 CPU free}. */
  private static String free(NodeTable table, int node, Resources wanted) {
    boolean memory = table.freeMemory[node] < wanted.memoryBytes();
    boolean cpu = table.freeCpu[node] < wanted.cpuMillis();
    String freeMemory = memory(table.freeMemory[node], RoundingMode.DOWN);
    String freeCpu = cpu(table.freeCpu[node]);
    String free;
    if (memory && !cpu) {
      free = freeMemory;
    } else if (cpu && !memory) {
      free = freeCpu;
    } else {
      free = freeMemory + " and " + freeCpu;
    }
    return "has " + free + " free";
  }

  private static String matchCount(int matching, int total) {
    if (matching == total) {
      return total == 1 ? "the only node matches" : "all " + total + " nodes match";
    }
    return matching + " of " + total + " nodes " + (matching == 1 ? "matches" : "match");
  }

  /** No node matches the constraints: name those no node meets, else the combination. */
  private static String noMatch(NodeTable table, List<NodeConstraint> constraints) {
    List<String> impossible = new ArrayList<>();
    for (NodeConstraint c : constraints) {
      boolean someNodeMatches = false;
      for (int node = 0; node < table.size() && !someNodeMatches; node++) {
        someNodeMatches = c.matches(table.info(node).labels());
      }
      if (!someNodeMatches) {
        impossible.add(
            (c.equal() ? "no node has label " : "every node has label ")
                + c.label()
                + "="
                + c.value());
      }
    }
    if (!impossible.isEmpty()) {
      return String.join("; ", impossible);
    }
    return "no node matches " + text(constraints) + " together";
  }

  private static void addCount(List<String> counts, int count, String what) {
    if (count > 0) {
      counts.add(count + " " + what);
    }
  }

  private static String text(List<NodeConstraint> constraints) {
    return String.join(" and ", constraints.stream().map(NodeConstraint::text).toList());
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  private static String series(List<String> items) {
    if (items.size() <= 1) {
      return String.join("", items);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " and "
        + items.get(items.size() - 1);
  }

  private static List<NodeConstraint> distinct(List<NodeConstraint> constraints) {
    return List.copyOf(new LinkedHashSet<>(constraints));
  }

  static boolean contains(int[] nodes, int node) {
    for (int n : nodes) {
      if (n == node) {
        return true;
      }
    }
    return false;
  }
}
