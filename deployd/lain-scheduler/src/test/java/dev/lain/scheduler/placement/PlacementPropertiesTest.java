package dev.lain.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Safety and equivalence on random small clusters: labels, sizes and loads from small domains so
 * that ties, full nodes, unavailable nodes and unmatched constraints are all common.
 */
class PlacementPropertiesTest {
  private static final long UNIT = 128 * Fixtures.MIB;
  private static final List<String> POD_GROUPS = List.of("a.web.web", "b.worker.w", "c.web.web");
  private static final List<NodeConstraint> CONSTRAINTS =
      List.of(
          Fixtures.eq("group", "default"),
          Fixtures.ne("group", "gpu"),
          Fixtures.eq("group", "gpu"),
          Fixtures.eq("ssd", "yes"),
          Fixtures.ne("ssd", "no"));

  /** One step of a planning pass. */
  sealed interface Step {}

  /** Place a group of requests. */
  record PlaceStep(List<PlacementRequest> requests) implements Step {}

  /** Release the placed instance at {@code pick} (modulo how many are placed), if any. */
  record ReleaseStep(int pick) implements Step {}

  /** An instance placed during the run, so that it can be released. */
  record Held(String node, String podGroup, Resources request) {}

  // ---- generators

  @Provide
  Arbitrary<List<NodeView>> clusters() {
    return Arbitraries.frequencyOf(
            Tuple2s.of(1, Arbitraries.just(0)),
            Tuple2s.of(19, Arbitraries.integers().between(1, 8)))
        .flatMap(
            n ->
                Combinators.combine(
                        IntStream.range(0, n).mapToObj(PlacementPropertiesTest::node).toList())
                    .as(List::copyOf));
  }

  private static Arbitrary<NodeView> node(int i) {
    Arbitrary<Integer> memoryUnits = Arbitraries.of(0, 4, 8, 8, 16, 16);
    Arbitrary<Integer> cpuQuarters = Arbitraries.of(0, 4, 8, 8, 16, 16);
    Arbitrary<Optional<String>> group = Arbitraries.of("default", "gpu").optional(0.7);
    Arbitrary<Optional<String>> ssd = Arbitraries.of("yes", "no").optional(0.5);
    // Quarters of capacity in use; 5 is one unit beyond capacity (such nodes take only empty
    // requests).
    Arbitrary<Integer> usedMemory = Arbitraries.integers().between(0, 5);
    Arbitrary<Integer> usedCpu = Arbitraries.integers().between(0, 5);
    Arbitrary<Boolean> accepts = Arbitraries.frequency(Tuple2s.of(6, true), Tuple2s.of(1, false));
    Arbitrary<Map<String, Integer>> counts =
        Arbitraries.maps(Arbitraries.of(POD_GROUPS), Arbitraries.integers().between(0, 3))
            .ofMaxSize(3);
    return Combinators.combine(
            memoryUnits, cpuQuarters, group, ssd, usedMemory, usedCpu, accepts, counts)
        .as(
            (mem, cpu, g, s, um, uc, acc, cnt) -> {
              Map<String, String> labels = new HashMap<>();
              g.ifPresent(v -> labels.put("group", v));
              s.ifPresent(v -> labels.put("ssd", v));
              NodeInfo info =
                  new NodeInfo(
                      "node" + i, "10.0.0." + i, 22, new Resources(mem * UNIT, cpu * 250L), labels);
              Resources used =
                  new Resources(
                      um == 5 ? (mem + 1) * UNIT : mem * UNIT * um / 4,
                      uc == 5 ? (cpu + 1) * 250L : cpu * 250L * uc / 4);
              return new NodeView(info, used, acc, cnt);
            });
  }

  private static Arbitrary<PlacementRequest> request() {
    Arbitrary<String> podGroup = Arbitraries.of(POD_GROUPS);
    Arbitrary<Integer> memory = Arbitraries.integers().between(0, 4);
    Arbitrary<Integer> cpu = Arbitraries.integers().between(0, 4);
    Arbitrary<List<NodeConstraint>> constraints =
        Arbitraries.frequencyOf(
            Tuple2s.of(2, Arbitraries.just(List.<NodeConstraint>of())),
            Tuple2s.of(1, Arbitraries.of(CONSTRAINTS).list().ofMinSize(1).ofMaxSize(2)));
    Arbitrary<Optional<String>> required =
        Arbitraries.of("node0", "node1", "node2", "ghost").optional(0.04);
    Arbitrary<Set<String>> avoid =
        Arbitraries.frequencyOf(
            Tuple2s.of(4, Arbitraries.just(Set.<String>of())),
            Tuple2s.of(1, Arbitraries.of("node0", "node1", "node2", "node5").set().ofMaxSize(2)));
    return Combinators.combine(podGroup, memory, cpu, constraints, required, avoid)
        .as(
            (pg, m, c, cs, req, av) ->
                new PlacementRequest(
                    new InstanceId(pg, 1, 1, 0),
                    new Resources(m * UNIT / 2, c * 125L),
                    cs,
                    req,
                    av));
  }

  /** Up to 3 requests, renumbered so instance ids are distinct within the group. */
  private static Arbitrary<List<PlacementRequest>> group() {
    return request()
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            rs ->
                IntStream.range(0, rs.size())
                    .mapToObj(
                        i -> {
                          PlacementRequest r = rs.get(i);
                          return new PlacementRequest(
                              new InstanceId(r.id().podGroup(), i + 1, 1, 0),
                              r.request(),
                              r.constraints(),
                              r.requiredNode(),
                              r.avoidNodes());
                        })
                    .toList());
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Arbitraries.frequencyOf(
            Tuple2s.of(2, group().map(PlaceStep::new)),
            Tuple2s.of(1, Arbitraries.integers().between(0, 100).map(ReleaseStep::new)));
    return step.list().ofMaxSize(15);
  }

  // ---- properties

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void choosesExactlyAsTheReferenceOnEveryStep(
      @ForAll("clusters") List<NodeView> cluster,
      @ForAll("steps") List<Step> steps,
      @ForAll Indexing indexing) {
    Placement placement = Placement.over(cluster, indexing.tuning());
    ReferencePlacement reference = new ReferencePlacement(cluster);
    List<Held> held = new ArrayList<>();
    for (Step step : steps) {
      switch (step) {
        case PlaceStep(List<PlacementRequest> requests) -> {
          PlacementOutcome got = placement.placeGroup(requests);
          PlacementOutcome expected = reference.placeGroup(requests);
          Statistics.label("group outcome").collect(kind(expected));
          switch (expected) {
            case PlacementOutcome.Placed placed -> {
              assertThat(got).isEqualTo(placed);
              hold(held, requests, placed);
            }
            case PlacementOutcome.Unplaceable unplaceable -> {
              assertThat(got).isInstanceOf(PlacementOutcome.Unplaceable.class);
              assertThat(((PlacementOutcome.Unplaceable) got).request())
                  .isEqualTo(unplaceable.request());
            }
          }
        }
        case ReleaseStep(int pick) -> {
          if (!held.isEmpty()) {
            Held h = held.remove(pick % held.size());
            placement.release(h.node(), h.podGroup(), h.request());
            reference.release(h.node(), h.podGroup(), h.request());
          }
        }
      }
      assertThat(placement.views()).isEqualTo(reference.views());
    }
  }

  @Property(tries = 500)
  void capacityIsNeverExceeded(
      @ForAll("clusters") List<NodeView> cluster,
      @ForAll("steps") List<Step> steps,
      @ForAll Indexing indexing) {
    Placement placement = Placement.over(cluster, indexing.tuning());
    run(placement, steps);
    for (NodeView start : cluster) {
      Resources capacity = start.info().capacity();
      Resources after = placement.view(start.name()).allocated();
      // A node loaded beyond capacity from the start may only have taken empty requests.
      assertThat(after.memoryBytes())
          .isLessThanOrEqualTo(Math.max(capacity.memoryBytes(), start.allocated().memoryBytes()));
      assertThat(after.cpuMillis())
          .isLessThanOrEqualTo(Math.max(capacity.cpuMillis(), start.allocated().cpuMillis()));
    }
  }

  @Property(tries = 500)
  void everyPlacedInstanceIsOnAFeasibleNode(
      @ForAll("clusters") List<NodeView> cluster,
      @ForAll("steps") List<Step> steps,
      @ForAll Indexing indexing) {
    Placement placement = Placement.over(cluster, indexing.tuning());
    for (Step step : steps) {
      if (step instanceof PlaceStep(List<PlacementRequest> requests)) {
        List<NodeView> before = placement.views();
        if (placement.placeGroup(requests) instanceof PlacementOutcome.Placed placed) {
          for (PlacementRequest r : requests) {
            NodeView node = placement.view(placed.nodes().get(r.id()));
            assertThat(node.acceptsNewInstances()).isTrue();
            assertThat(r.constraints()).allMatch(c -> c.matches(node.info().labels()));
            assertThat(r.avoidNodes()).doesNotContain(node.name());
            r.requiredNode().ifPresent(n -> assertThat(node.name()).isEqualTo(n));
          }
          // Each chosen node had room for everything placed on it.
          Map<String, Resources> added = new HashMap<>();
          requests.forEach(
              r -> added.merge(placed.nodes().get(r.id()), r.request(), Resources::plus));
          before.stream()
              .filter(n -> added.containsKey(n.name()))
              .forEach(n -> assertThat(added.get(n.name()).fitsIn(n.free())).isTrue());
        }
      }
    }
  }

  @Property(tries = 500)
  void aFailedGroupLeavesEveryNodeAsItWas(
      @ForAll("clusters") List<NodeView> cluster,
      @ForAll("steps") List<Step> steps,
      @ForAll Indexing indexing) {
    Placement placement = Placement.over(cluster, indexing.tuning());
    for (Step step : steps) {
      if (step instanceof PlaceStep(List<PlacementRequest> requests)) {
        List<NodeView> before = placement.views();
        if (placement.placeGroup(requests) instanceof PlacementOutcome.Unplaceable u) {
          assertThat(placement.views()).isEqualTo(before);
          assertThat(requests).contains(u.request());
          assertThat(u.reason()).isNotBlank();
        }
      }
    }
  }

  @Property(tries = 300)
  void instancesOfOneGroupOnEqualNodesDifferByAtMostOne(
      @ForAll @IntRange(min = 1, max = 8) int nodes,
      @ForAll @IntRange(min = 0, max = 40) int instances,
      @ForAll Indexing indexing) {
    List<NodeView> cluster =
        IntStream.range(0, nodes)
            .mapToObj(i -> Fixtures.node("node" + i, 64 * 1024, 64_000, "group=default"))
            .toList();
    Placement placement = Placement.over(cluster, indexing.tuning());
    List<PlacementRequest> group =
        IntStream.rangeClosed(1, instances)
            .mapToObj(
                i -> Fixtures.request("a.web.web", i, 256, 250, Fixtures.eq("group", "default")))
            .toList();

    assertThat(placement.placeGroup(group)).isInstanceOf(PlacementOutcome.Placed.class);

    List<Integer> counts = placement.views().stream().map(n -> n.instancesOf("a.web.web")).toList();
    assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(instances);
    assertThat(
            counts.stream().mapToInt(Integer::intValue).max().orElse(0)
                - counts.stream().mapToInt(Integer::intValue).min().orElse(0))
        .isLessThanOrEqualTo(1);
  }

  @Property(tries = 500)
  void releaseThenPlaceRestoresTheTableAndTheChoice(
      @ForAll("clusters") List<NodeView> cluster,
      @ForAll("steps") List<Step> steps,
      @ForAll Indexing indexing) {
    Placement placement = Placement.over(cluster, indexing.tuning());
    List<Held> held = run(placement, steps);
    for (Held h : List.copyOf(held)) {
      List<NodeView> before = placement.views();
      placement.release(h.node(), h.podGroup(), h.request());
      PlacementRequest again =
          PlacementRequest.of(new InstanceId(h.podGroup(), 1, 1, 0), h.request(), List.of())
              .withRequiredNode(h.node());
      assertThat(placement.place(again))
          .isEqualTo(new PlacementOutcome.Placed(Map.of(again.id(), h.node())));
      assertThat(placement.views()).isEqualTo(before);
    }
  }

  @Property(tries = 200)
  void anIndexKeepsItsMembersInOrderOfLevelThenFreeResources(
      @ForAll("clusters") List<NodeView> cluster, @ForAll("steps") List<Step> steps) {
    Placement placement = Placement.over(cluster);
    run(placement, steps);
    List<NodeView> views = placement.views();
    List<Integer> accepting =
        IntStream.range(0, views.size())
            .filter(i -> views.get(i).acceptsNewInstances())
            .boxed()
            .toList();
    long[] mem = views.stream().mapToLong(v -> v.free().memoryBytes()).toArray();
    long[] cpu = views.stream().mapToLong(v -> v.free().cpuMillis()).toArray();
    int[] level = views.stream().mapToInt(v -> v.instancesOf("a.web.web")).toArray();
    SpreadIndex index =
        new SpreadIndex(
            accepting.stream().mapToInt(Integer::intValue).toArray(),
            views.size(),
            mem,
            cpu,
            n -> level[n]);
    List<Integer> expected = new ArrayList<>(accepting);
    expected.sort(
        Comparator.<Integer>comparingInt(n -> level[n])
            .thenComparing(n -> mem[n], Comparator.reverseOrder())
            .thenComparing(n -> cpu[n], Comparator.reverseOrder())
            .thenComparing(n -> n));
    assertThat(index.inOrder()).containsExactly(expected.stream().mapToInt(i -> i).toArray());

    // Touched nodes are re-sorted under their new keys before the next look.
    for (int n : accepting) {
      mem[n] = (n * 7919L) % 5;
      level[n] = n % 3;
      index.touch(n);
    }
    expected.sort(
        Comparator.<Integer>comparingInt(n -> level[n])
            .thenComparing(n -> mem[n], Comparator.reverseOrder())
            .thenComparing(n -> cpu[n], Comparator.reverseOrder())
            .thenComparing(n -> n));
    assertThat(index.inOrder()).containsExactly(expected.stream().mapToInt(i -> i).toArray());
  }

  // ---- helpers

  private static String kind(PlacementOutcome outcome) {
    return switch (outcome) {
      case PlacementOutcome.Placed p -> "placed";
      case PlacementOutcome.Unplaceable u when u.request().requiredNode().isPresent() ->
          "unplaceable, required node";
      case PlacementOutcome.Unplaceable u -> "unplaceable";
    };
  }

  private static List<Held> run(Placement placement, List<Step> steps) {
    List<Held> held = new ArrayList<>();
    for (Step step : steps) {
      switch (step) {
        case PlaceStep(List<PlacementRequest> requests) -> {
          if (placement.placeGroup(requests) instanceof PlacementOutcome.Placed placed) {
            hold(held, requests, placed);
          }
        }
        case ReleaseStep(int pick) -> {
          if (!held.isEmpty()) {
            Held h = held.remove(pick % held.size());
            placement.release(h.node(), h.podGroup(), h.request());
          }
        }
      }
    }
    return held;
  }

  private static void hold(
      List<Held> held, List<PlacementRequest> requests, PlacementOutcome.Placed placed) {
    for (PlacementRequest r : requests) {
      held.add(new Held(placed.nodes().get(r.id()), r.id().podGroup(), r.request()));
    }
  }

  /** jqwik's Tuple.of, named for what it builds here (a weight and a value). */
  private static final class Tuple2s {
    static <T> net.jqwik.api.Tuple.Tuple2<Integer, T> of(int weight, T value) {
      return net.jqwik.api.Tuple.of(weight, value);
    }
  }
}
