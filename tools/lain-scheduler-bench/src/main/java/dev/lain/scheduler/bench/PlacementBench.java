package dev.lain.scheduler.bench;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import dev.lain.scheduler.placement.NodeView;
import dev.lain.scheduler.placement.Placement;
import dev.lain.scheduler.placement.PlacementOutcome;
import dev.lain.scheduler.placement.PlacementRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Places instances on simulated nodes, in process, and prints throughput. Two scenarios:
 *
 * <ul>
 *   <li><b>spread</b>: pod groups of several instances, a few label sets and constraint sets,
 *       varied node and instance sizes, a few nodes in maintenance; everything fits.
 *   <li><b>packed</b>: equal instances placed one by one into a cluster that holds 95% of them, so
 *       the last 5% are unplaceable (the reason path: every failure scans the matching nodes to say
 *       why).
 * </ul>
 *
 * Each scenario runs a few times to warm up the JIT, then is measured over several runs; the median
 * run is printed. Building the table (indexing) is timed apart from placing. Asserts nothing beyond
 * every expected placement succeeding.
 *
 * <p>Usage: {@code java -jar lain-scheduler-bench.jar [--nodes N] [--pod-groups N]
 * [--instances-per-group N] [--warmups N] [--runs N] [--seed N]}
 */
public final class PlacementBench {
  private static final long MIB = 1024L * 1024;
  private static final long GIB = 1024 * MIB;

  private static final List<Map<String, String>> LABEL_SETS =
      List.of(
          Map.of("group", "default"),
          Map.of("group", "default", "ssd", "yes"),
          Map.of("group", "gpu"),
          Map.of("group", "default", "zone", "b"));
  private static final int[] LABEL_WEIGHTS = {60, 25, 10, 5};

  private static final List<List<NodeConstraint>> CONSTRAINT_SETS =
      List.of(
          List.of(NodeConstraint.DEFAULT_GROUP),
          List.of(NodeConstraint.DEFAULT_GROUP, new NodeConstraint("ssd", true, "yes")),
          List.of(new NodeConstraint("group", true, "gpu")),
          List.of(),
          List.of(new NodeConstraint("group", false, "gpu")));
  private static final int[] CONSTRAINT_WEIGHTS = {70, 15, 5, 5, 5};

  private final PrintStream out;
  private int nodes = 5000;
  private int podGroups = 10_000;
  private int instancesPerGroup = 10;
  private int warmups = 3;
  private int runs = 5;
  private long seed = 1;

  PlacementBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    PlacementBench bench = new PlacementBench(System.out);
    bench.parse(args);
    bench.run();
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("-h") || flag.equals("--help")) {
        out.println(
            "usage: PlacementBench [--nodes N] [--pod-groups N] [--instances-per-group N]"
                + " [--warmups N] [--runs N] [--seed N]");
        System.exit(0);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      long value = Long.parseLong(args[++i]);
      switch (flag) {
        case "--nodes" -> nodes = (int) value;
        case "--pod-groups" -> podGroups = (int) value;
        case "--instances-per-group" -> instancesPerGroup = (int) value;
        case "--warmups" -> warmups = (int) value;
        case "--runs" -> runs = (int) value;
        case "--seed" -> seed = value;
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
  }

  private void run() {
    out.printf(
        "placement bench: %d nodes, %d pod groups x %d instances, %d warm-up + %d measured runs,"
            + " %d processors, %s%n",
        nodes,
        podGroups,
        instancesPerGroup,
        warmups,
        runs,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    report("spread", measure(this::spread));
    report("packed", measure(this::packed));
  }

  /** What one run did and how long it took. */
  record Run(
      long buildNanos,
      long placeNanos,
      int placed,
      long placedNanos,
      int unplaceable,
      long unplaceableNanos,
      String sampleReason) {}

  private Run measure(java.util.function.Supplier<Run> scenario) {
    for (int i = 0; i < warmups; i++) {
      scenario.get();
    }
    Run[] measured = new Run[runs];
    for (int i = 0; i < runs; i++) {
      measured[i] = scenario.get();
    }
    Arrays.sort(measured, (a, b) -> Long.compare(a.placeNanos(), b.placeNanos()));
    return measured[runs / 2];
  }

  private void report(String name, Run run) {
    double seconds = run.placeNanos() / 1e9;
    int instances = run.placed() + run.unplaceable();
    out.printf(
        "%s: nodes %d, instances %d, seconds %.3f, placements/s %,.0f (table build %.3f s)%n",
        name, nodes, instances, seconds, instances / seconds, run.buildNanos() / 1e9);
    if (run.unplaceable() > 0) {
      out.printf(
          "%s:   placed %d in %.3f s (%,.0f/s); unplaceable %d in %.3f s (%,.0f/s)%n",
          name,
          run.placed(),
          run.placedNanos() / 1e9,
          run.placed() / (run.placedNanos() / 1e9),
          run.unplaceable(),
          run.unplaceableNanos() / 1e9,
          run.unplaceable() / (run.unplaceableNanos() / 1e9));
      out.printf("%s:   last reason: %s%n", name, run.sampleReason());
    }
  }

  /** Pod groups of several instances onto a varied cluster; everything fits. */
  private Run spread() {
    Random random = new Random(seed);
    List<NodeView> cluster = new ArrayList<>(nodes);
    long[] memoryChoices = {32 * GIB, 64 * GIB, 128 * GIB};
    long[] cpuChoices = {16_000, 32_000, 64_000};
    for (int i = 0; i < nodes; i++) {
      Map<String, String> labels = LABEL_SETS.get(pick(random, LABEL_WEIGHTS));
      Resources capacity =
          new Resources(
              memoryChoices[random.nextInt(memoryChoices.length)],
              cpuChoices[random.nextInt(cpuChoices.length)]);
      NodeInfo info = new NodeInfo(nodeName(i), ip(i), 22, capacity, labels);
      cluster.add(new NodeView(info, Resources.ZERO, random.nextInt(100) != 0, Map.of()));
    }
    long[] instanceMemory = {128 * MIB, 256 * MIB, 512 * MIB, GIB, 2 * GIB};
    List<List<PlacementRequest>> groups = new ArrayList<>(podGroups);
    for (int g = 0; g < podGroups; g++) {
      List<NodeConstraint> constraints = CONSTRAINT_SETS.get(pick(random, CONSTRAINT_WEIGHTS));
      Resources size =
          new Resources(
              instanceMemory[random.nextInt(instanceMemory.length)],
              Resources.cpuMillisForLevel(random.nextInt(9)));
      groups.add(group("app" + g + ".web.web", size, constraints));
    }

    long start = System.nanoTime();
    Placement placement = Placement.over(cluster);
    long built = System.nanoTime();
    int placed = 0;
    for (List<PlacementRequest> group : groups) {
      if (!(placement.placeGroup(group) instanceof PlacementOutcome.Placed)) {
        throw new IllegalStateException("spread scenario: a group did not fit");
      }
      placed += group.size();
    }
    long done = System.nanoTime();
    return new Run(built - start, done - built, placed, done - built, 0, 0, "");
  }

  /** Equal instances, one per call, into a cluster that holds 95% of them. */
  private Run packed() {
    int instances = podGroups * instancesPerGroup;
    int fit = instances - instances / 20;
    int perNode = fit / nodes;
    if (perNode * nodes != fit) {
      throw new IllegalArgumentException(
          "packed scenario: 95% of the instances must divide evenly over the nodes");
    }
    Resources size = new Resources(512 * MIB, 500);
    Resources capacity = new Resources(size.memoryBytes() * perNode, size.cpuMillis() * perNode);
    List<NodeView> cluster = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      cluster.add(
          NodeView.empty(new NodeInfo(nodeName(i), ip(i), 22, capacity, LABEL_SETS.get(0))));
    }
    List<PlacementRequest> requests = new ArrayList<>(instances);
    for (int g = 0; g < podGroups; g++) {
      requests.addAll(group("app" + g + ".web.web", size, CONSTRAINT_SETS.get(0)));
    }

    long start = System.nanoTime();
    Placement placement = Placement.over(cluster);
    long built = System.nanoTime();
    int placed = 0;
    int unplaceable = 0;
    long unplaceableNanos = 0;
    String reason = "";
    for (PlacementRequest request : requests) {
      long before = System.nanoTime();
      PlacementOutcome outcome = placement.place(request);
      if (outcome instanceof PlacementOutcome.Unplaceable u) {
        unplaceableNanos += System.nanoTime() - before;
        unplaceable++;
        reason = u.reason();
      } else {
        placed++;
      }
    }
    long done = System.nanoTime();
    if (placed != fit) {
      throw new IllegalStateException("packed scenario: placed " + placed + ", expected " + fit);
    }
    long total = done - built;
    return new Run(
        built - start,
        total,
        placed,
        total - unplaceableNanos,
        unplaceable,
        unplaceableNanos,
        reason);
  }

  private List<PlacementRequest> group(
      String podGroup, Resources size, List<NodeConstraint> constraints) {
    List<PlacementRequest> group = new ArrayList<>(instancesPerGroup);
    for (int i = 1; i <= instancesPerGroup; i++) {
      group.add(PlacementRequest.of(new InstanceId(podGroup, i, 1, 0), size, constraints));
    }
    return group;
  }

  private static int pick(Random random, int[] weights) {
    int total = Arrays.stream(weights).sum();
    int r = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    throw new AssertionError("weights");
  }

  private static String nodeName(int i) {
    return String.format("node%05d", i);
  }

  private static String ip(int i) {
    return "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
  }
}
