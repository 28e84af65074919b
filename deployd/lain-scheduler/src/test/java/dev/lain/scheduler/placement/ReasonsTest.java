package dev.lain.scheduler.placement;

import static dev.lain.scheduler.placement.Fixtures.MIB;
import static dev.lain.scheduler.placement.Fixtures.allocated;
import static dev.lain.scheduler.placement.Fixtures.closed;
import static dev.lain.scheduler.placement.Fixtures.eq;
import static dev.lain.scheduler.placement.Fixtures.ne;
import static dev.lain.scheduler.placement.Fixtures.node;
import static dev.lain.scheduler.placement.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every reason an instance cannot be placed, word for word; indexed and scanning alike. */
class ReasonsTest {

  private static String reason(Indexing indexing, List<NodeView> nodes, PlacementRequest r) {
    PlacementOutcome outcome = Placement.over(nodes, indexing.tuning()).place(r);
    assertThat(outcome).isInstanceOf(PlacementOutcome.Unplaceable.class);
    assertThat(((PlacementOutcome.Unplaceable) outcome).request()).isEqualTo(r);
    return ((PlacementOutcome.Unplaceable) outcome).reason();
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void namesEachMatchingNodeAndWhatItLacks(Indexing indexing) {
    List<NodeView> nodes =
        List.of(
            closed(node("node1", 4096, 4000, "group=default")),
            allocated(node("node2", 4096, 4000, "group=default"), 3976, 0),
            allocated(node("node3", 4096, 4000, "group=default"), 1024, 3900),
            node("node4", 8192, 8000, "group=gpu"));

    assertThat(
            reason(indexing, nodes, request("hello.web.web", 3, 256, 250, eq("group", "default"))))
        .isEqualTo(
            "no node can take hello.web.web i3 (256 MiB, 0.25 CPU): 3 of 4 nodes match"
                + " constraint:group==default; node3 has 0.1 CPU free, node2 has 120 MiB free,"
                + " node1 is unavailable (maintenance, draining or lost)");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void withoutConstraintsListsTheNodesClosestToFittingFirst(Indexing indexing) {
    List<NodeView> nodes =
        List.of(
            allocated(node("node1", 1024, 4000), 512, 0),
            allocated(node("node2", 2048, 2000), 1024, 500),
            allocated(node("node3", 1024, 1000), 924, 500));

    assertThat(reason(indexing, nodes, request("a.web.web", 1, 1024, 2000)))
        .isEqualTo(
            "no node can take a.web.web i1 (1 GiB, 2 CPU): node2 has 1.5 CPU free,"
                + " node1 has 512 MiB free, node3 has 100 MiB and 0.5 CPU free");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void avoidedNodesAreNamed(Indexing indexing) {
    List<NodeView> nodes = List.of(node("node1", 1024, 1000), node("node2", 128, 1000));

    assertThat(
            reason(
                indexing, nodes, request("a.web.web", 1, 256, 250).withAvoidNodes(Set.of("node1"))))
        .isEqualTo(
            "no node can take a.web.web i1 (256 MiB, 0.25 CPU): node2 has 128 MiB free,"
                + " node1 is on the avoid list");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void saysWhenEveryNodeOrTheOnlyNodeMatches(Indexing indexing) {
    assertThat(
            reason(
                indexing,
                List.of(node("node1", 128, 1000, "group=default")),
                request("a.web.web", 1, 256, 250, eq("group", "default"))))
        .isEqualTo(
            "no node can take a.web.web i1 (256 MiB, 0.25 CPU): the only node matches"
                + " constraint:group==default; node1 has 128 MiB free");
    assertThat(
            reason(
                indexing,
                List.of(node("node1", 128, 1000), node("node2", 128, 1000)),
                request("a.web.web", 1, 256, 250, ne("group", "gpu"))))
        .isEqualTo(
            "no node can take a.web.web i1 (256 MiB, 0.25 CPU): all 2 nodes match"
                + " constraint:group!=gpu; node1 has 128 MiB free, node2 has 128 MiB free");
    assertThat(
            reason(
                indexing,
                List.of(
                    node("node1", 128, 1000, "group=gpu"),
                    node("node2", 128, 1000),
                    node("node3", 128, 1000)),
                request("a.web.web", 1, 256, 250, eq("group", "gpu"), eq("group", "gpu"))))
        .isEqualTo(
            "no node can take a.web.web i1 (256 MiB, 0.25 CPU): 1 of 3 nodes matches"
                + " constraint:group==gpu; node1 has 128 MiB free");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void onALargeClusterCountsEachShortageAndNamesTheClosestFive(Indexing indexing) {
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      nodes.add(
          allocated(
              node(String.format("n%02d", i), 4096, 4000, "group=default"), 4096 - 100 * i, 0));
    }
    nodes.add(allocated(node("n09", 4096, 4000, "group=default"), 2048, 3500));
    nodes.add(allocated(node("n10", 4096, 4000, "group=default"), 4046, 4000));
    nodes.add(node("n11", 4096, 4000, "group=default"));
    nodes.add(closed(node("n12", 4096, 4000, "group=default")));
    nodes.add(node("n13", 4096, 4000, "group=gpu"));

    assertThat(
            reason(
                indexing,
                nodes,
                request("a.web.web", 1, 1024, 1000, eq("group", "default"))
                    .withAvoidNodes(Set.of("n11"))))
        .isEqualTo(
            "no node can take a.web.web i1 (1 GiB, 1 CPU): 12 of 13 nodes match"
                + " constraint:group==default; 8 short of memory, 1 short of CPU, 1 short of"
                + " memory and CPU, 1 on the avoid list, 1 unavailable (maintenance, draining or"
                + " lost); n09 has 0.5 CPU free, n08 has 800 MiB free, n07 has 700 MiB free,"
                + " n06 has 600 MiB free, n05 has 500 MiB free and 7 more");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void namesALabelNoNodeHas(Indexing indexing) {
    List<NodeView> nodes =
        List.of(node("node1", 4096, 4000, "group=default"), node("node2", 4096, 4000));

    assertThat(reason(indexing, nodes, request("a.web.web", 1, 256, 250, eq("group", "gpu"))))
        .isEqualTo(
            "no node can take a.web.web i1 (256 MiB, 0.25 CPU): no node has label group=gpu");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void namesALabelEveryNodeHas(Indexing indexing) {
    List<NodeView> nodes =
        List.of(
            node("node1", 4096, 4000, "group=default"), node("node2", 4096, 4000, "group=default"));

    assertThat(
            reason(
                indexing,
                nodes,
                request("a.web.web", 1, 256, 250, eq("ssd", "yes"), ne("group", "default"))))
        .isEqualTo(
            "no node can take a.web.web i1 (256 MiB, 0.25 CPU): no node has label ssd=yes;"
                + " every node has label group=default");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void namesConstraintsThatNoNodeMeetsTogether(Indexing indexing) {
    List<NodeView> nodes =
        List.of(node("node1", 4096, 4000, "group=gpu"), node("node2", 4096, 4000, "ssd=yes"));

    assertThat(
            reason(
                indexing,
                nodes,
                request("a.web.web", 1, 256, 250, eq("group", "gpu"), eq("ssd", "yes"))))
        .isEqualTo(
            "no node can take a.web.web i1 (256 MiB, 0.25 CPU): no node matches"
                + " constraint:group==gpu and constraint:ssd==yes together");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void saysWhenTheClusterHasNoNodes(Indexing indexing) {
    assertThat(reason(indexing, List.of(), request("a.web.web", 1, 256, 250)))
        .isEqualTo("no node can take a.web.web i1 (256 MiB, 0.25 CPU): the cluster has no nodes");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void aFailedGroupExplainsWithItsOwnEarlierInstancesCounted(Indexing indexing) {
    Placement p = Placement.over(List.of(node("node1", 512, 1000)), indexing.tuning());

    PlacementOutcome outcome =
        p.placeGroup(List.of(request("a.web.web", 1, 384, 250), request("a.web.web", 2, 384, 250)));

    assertThat(((PlacementOutcome.Unplaceable) outcome).reason())
        .isEqualTo("no node can take a.web.web i2 (384 MiB, 0.25 CPU): node1 has 128 MiB free");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          node3 | closed     | is unavailable (maintenance, draining or lost)
          node9 | open       | is not in the cluster
          node3 | gpu        | does not match constraint:group==gpu
          node3 | small      | has 100 MiB free
          node3 | slow       | has 0.1 CPU free
          node3 | tiny       | has 100 MiB and 0.1 CPU free
          node3 | avoid      | is on the avoid list
          node3 | avoid-tiny | is on the avoid list and has 100 MiB and 0.1 CPU free
          node3 | all        | does not match constraint:group==gpu, is on the avoid list and has 100 MiB free
          """)
  void saysWhyARequiredNodeCannotTakeItsInstance(String required, String problem, String why) {
    NodeView node3 =
        switch (problem) {
          case "closed" -> closed(node("node3", 4096, 4000));
          case "small", "all" -> allocated(node("node3", 4096, 4000), 3996, 0);
          case "slow" -> allocated(node("node3", 4096, 4000), 0, 3900);
          case "tiny", "avoid-tiny" -> allocated(node("node3", 4096, 4000), 3996, 3900);
          default -> node("node3", 4096, 4000);
        };
    PlacementRequest r =
        problem.equals("gpu") || problem.equals("all")
            ? request("hello.worker.db", 1, 256, 250, eq("group", "gpu"))
            : request("hello.worker.db", 1, 256, 250);
    if (problem.startsWith("avoid") || problem.equals("all")) {
      r = r.withAvoidNodes(Set.of("node3"));
    }

    assertThat(
            reason(
                Indexing.DEFAULT,
                List.of(node("node1", 8192, 8000, "group=gpu"), node3),
                r.withRequiredNode(required)))
        .isEqualTo(
            "hello.worker.db i1 (256 MiB, 0.25 CPU) must return to "
                + required
                + " (its data is there) but "
                + required
                + " "
                + why);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0                 | DOWN | 0 MiB
          512               | DOWN | 512 B
          1536              | DOWN | 1.5 KiB
          1073741824        | DOWN | 1 GiB
          1610612736        | DOWN | 1536 MiB
          126405018         | DOWN | 120.5 MiB
          126405018         | UP   | 120.6 MiB
          268435556         | UP   | 256.1 MiB
          268435556         | DOWN | 256 MiB
          """)
  void memoryIsShownInBinaryUnitsRoundedAsTold(long bytes, RoundingMode rounding, String shown) {
    assertThat(Reasons.memory(bytes, rounding)).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource({"0, 0 CPU", "125, 0.125 CPU", "250, 0.25 CPU", "1000, 1 CPU", "10000, 10 CPU"})
  void cpuIsShownInCores(long millis, String shown) {
    assertThat(Reasons.cpu(millis)).isEqualTo(shown);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 100, 1023, 1025, 1024 * 1024 + 1, 256 * 1024 * 1024 + 100})
  void aShortageNeverReadsAsAFit(long bytes) {
    // The request is rounded up and what is free rounded down.
    assertThat(Reasons.memory(bytes, RoundingMode.UP))
        .isNotEqualTo(Reasons.memory(bytes - 1, RoundingMode.DOWN));
    assertThat(bytes).isLessThan(MIB * 1024);
  }
}
