package dev.lain.scheduler.placement;

import static dev.lain.scheduler.placement.Fixtures.allocated;
import static dev.lain.scheduler.placement.Fixtures.closed;
import static dev.lain.scheduler.placement.Fixtures.eq;
import static dev.lain.scheduler.placement.Fixtures.holding;
import static dev.lain.scheduler.placement.Fixtures.id;
import static dev.lain.scheduler.placement.Fixtures.ne;
import static dev.lain.scheduler.placement.Fixtures.node;
import static dev.lain.scheduler.placement.Fixtures.request;
import static dev.lain.scheduler.placement.Fixtures.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each placement rule, one case at a time; every case runs indexed and scanning. */
class PlacementTest {

  private static Placement table(Indexing indexing, NodeView... nodes) {
    return Placement.over(List.of(nodes), indexing.tuning());
  }

  private static String placedOn(PlacementOutcome outcome, InstanceId id) {
    assertThat(outcome).isInstanceOf(PlacementOutcome.Placed.class);
    return ((PlacementOutcome.Placed) outcome).nodes().get(id);
  }

  private static String onlyPlacement(Placement p, PlacementRequest r) {
    return placedOn(p.place(r), r.id());
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void choosesTheNodeWithFewestInstancesOfThePodGroup(Indexing indexing) {
    Placement p =
        table(
            indexing,
            holding(node("node1", 4096, 4000), "a.web.web", 2),
            holding(node("node2", 1024, 1000), "a.web.web", 1),
            holding(node("node3", 4096, 4000), "a.web.web", 1));

    assertThat(onlyPlacement(p, request("a.web.web", 9, 256, 250))).isEqualTo("node3");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void nodesWithoutThePodGroupWinOverRoomierNodesWithIt(Indexing indexing) {
    Placement p =
        table(
            indexing, holding(node("node1", 8192, 8000), "a.web.web", 1), node("node2", 512, 500));

    assertThat(onlyPlacement(p, request("a.web.web", 2, 256, 250))).isEqualTo("node2");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void instancesOfOtherPodGroupsDoNotCountForSpread(Indexing indexing) {
    Placement p =
        table(
            indexing,
            holding(node("node1", 4096, 4000), "b.web.web", 5),
            node("node2", 2048, 4000));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250))).isEqualTo("node1");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void onEqualCountsTheMostFreeMemoryAfterPlacementWins(Indexing indexing) {
    Placement p =
        table(
            indexing,
            allocated(node("node1", 4096, 4000), 2048, 0),
            allocated(node("node2", 4096, 1000), 1024, 0),
            node("node3", 2048, 8000));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250))).isEqualTo("node2");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void onEqualMemoryTheMostFreeCpuWins(Indexing indexing) {
    Placement p =
        table(
            indexing,
            node("node1", 2048, 2000),
            allocated(node("node2", 2048, 4000), 0, 1000),
            node("node3", 2048, 1000));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250))).isEqualTo("node2");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void onEqualResourcesTheFirstNodeNameWins(Indexing indexing) {
    Placement p =
        table(
            indexing,
            node("node-b", 2048, 2000),
            node("node-c", 2048, 2000),
            node("node-a", 2048, 2000));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250))).isEqualTo("node-a");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void instancesOfOneGroupSpreadOverNodes(Indexing indexing) {
    Placement p =
        table(
            indexing,
            node("node1", 8192, 8000),
            node("node2", 4096, 8000),
            node("node3", 2048, 8000));
    List<PlacementRequest> group =
        IntStream.rangeClosed(1, 6).mapToObj(i -> request("a.web.web", i, 256, 250)).toList();

    PlacementOutcome outcome = p.placeGroup(group);

    assertThat(outcome)
        .isEqualTo(
            new PlacementOutcome.Placed(
                Map.of(
                    id("a.web.web", 1), "node1",
                    id("a.web.web", 2), "node2",
                    id("a.web.web", 3), "node3",
                    id("a.web.web", 4), "node1",
                    id("a.web.web", 5), "node2",
                    id("a.web.web", 6), "node3")));
    assertThat(((PlacementOutcome.Placed) outcome).nodes().keySet())
        .containsExactly(group.stream().map(PlacementRequest::id).toArray(InstanceId[]::new));
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void nodesThatTakeNoNewInstancesAreSkipped(Indexing indexing) {
    Placement p = table(indexing, closed(node("node1", 8192, 8000)), node("node2", 512, 500));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250))).isEqualTo("node2");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void anEqualConstraintNeedsTheLabelWithThatValue(Indexing indexing) {
    Placement p =
        table(
            indexing,
            node("node1", 8192, 8000),
            node("node2", 8192, 8000, "group=gpu"),
            node("node3", 512, 500, "group=default"));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250, eq("group", "default"))))
        .isEqualTo("node3");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void aNodeWithoutTheLabelMatchesNotEqualOnly(Indexing indexing) {
    Placement p =
        table(
            indexing,
            node("node1", 8192, 8000),
            node("node2", 4096, 8000, "group=gpu"),
            node("node3", 512, 500, "group=default"));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250, ne("group", "gpu"))))
        .isEqualTo("node1");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void everyConstraintMustHold(Indexing indexing) {
    Placement p =
        table(
            indexing,
            node("node1", 8192, 8000, "group=default"),
            node("node2", 4096, 8000, "group=default", "ssd=yes"),
            node("node3", 8192, 8000, "ssd=yes"));

    assertThat(
            onlyPlacement(
                p, request("a.web.web", 1, 256, 250, eq("group", "default"), eq("ssd", "yes"))))
        .isEqualTo("node2");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void theRequestMustFitInWhatIsFree(Indexing indexing) {
    Placement p =
        table(
            indexing,
            allocated(node("node1", 8192, 8000), 8000, 0),
            allocated(node("node2", 8192, 8000), 0, 7900),
            allocated(node("node3", 1024, 1000), 768, 750));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250))).isEqualTo("node3");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void avoidedNodesAreSkipped(Indexing indexing) {
    Placement p = table(indexing, node("node1", 8192, 8000), node("node2", 512, 500));

    assertThat(
            onlyPlacement(
                p, request("a.web.web", 1, 256, 250).withAvoidNodes(Set.of("node1", "ghost"))))
        .isEqualTo("node2");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void aRequiredNodeIsUsedEvenIfOthersSpreadBetter(Indexing indexing) {
    Placement p =
        table(
            indexing,
            node("node1", 8192, 8000),
            holding(node("node2", 512, 500), "a.worker.db", 3));

    assertThat(onlyPlacement(p, request("a.worker.db", 1, 256, 250).withRequiredNode("node2")))
        .isEqualTo("node2");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void placementsUseUpTheNode(Indexing indexing) {
    Placement p = table(indexing, node("node1", 1024, 1000), node("node2", 512, 500));

    // b ties with node2 on memory but node1 has more CPU left; c no longer fits on node1.
    p.placeGroup(
        List.of(
            request("a.web.web", 1, 512, 250),
            request("b.web.web", 1, 512, 250),
            request("c.web.web", 1, 512, 500)));

    assertThat(p.view("node1"))
        .isEqualTo(
            new NodeView(
                Fixtures.info("node1", 1024, 1000),
                res(1024, 500),
                true,
                Map.of("a.web.web", 1, "b.web.web", 1)));
    assertThat(p.view("node2").instancesPerPodGroup()).isEqualTo(Map.of("c.web.web", 1));
    assertThat(p.view("node2").free()).isEqualTo(Resources.ZERO);
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void aRequestExactlyAsLargeAsWhatIsFreeFits(Indexing indexing) {
    Placement p = table(indexing, allocated(node("node1", 1024, 1000), 768, 750));

    assertThat(onlyPlacement(p, request("a.web.web", 1, 256, 250))).isEqualTo("node1");
    assertThat(p.view("node1").free()).isEqualTo(Resources.ZERO);
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void aNodeAllocatedBeyondCapacityTakesOnlyEmptyRequests(Indexing indexing) {
    Placement p = table(indexing, allocated(node("node1", 1024, 1000), 2048, 500));

    assertThat(p.place(request("a.web.web", 1, 1, 0)))
        .isInstanceOf(PlacementOutcome.Unplaceable.class);
    assertThat(onlyPlacement(p, request("a.web.web", 1, 0, 250))).isEqualTo("node1");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void aFailedGroupPlacesNothing(Indexing indexing) {
    Placement p = table(indexing, node("node1", 1024, 1000), node("node2", 1024, 1000));
    List<NodeView> before = p.views();

    PlacementOutcome outcome =
        p.placeGroup(
            List.of(
                request("a.web.web", 1, 512, 250),
                request("a.web.web", 2, 512, 250),
                request("a.web.web", 3, 1024, 250)));

    assertThat(outcome).isInstanceOf(PlacementOutcome.Unplaceable.class);
    assertThat(((PlacementOutcome.Unplaceable) outcome).request().id())
        .isEqualTo(id("a.web.web", 3));
    assertThat(p.views()).isEqualTo(before);
    assertThat(onlyPlacement(p, request("a.web.web", 3, 1024, 250))).isEqualTo("node1");
  }

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void releaseFreesResourcesAndTheSpreadCount(Indexing indexing) {
    Placement p = table(indexing, node("node1", 1024, 1000), node("node2", 1024, 1000));
    p.placeGroup(List.of(request("a.web.web", 1, 512, 250), request("a.web.web", 2, 512, 250)));

    p.release("node1", "a.web.web", res(512, 250));

    assertThat(p.view("node1")).isEqualTo(node("node1", 1024, 1000));
    assertThat(onlyPlacement(p, request("a.web.web", 3, 1024, 250))).isEqualTo("node1");
  }

  @Test
  void anEmptyGroupPlacesNothing() {
    assertThat(Placement.over(List.of()).placeGroup(List.of()))
        .isEqualTo(new PlacementOutcome.Placed(Map.of()));
  }

  @Test
  void nodeNamesMustBeDistinct() {
    assertThatThrownBy(() -> Placement.over(List.of(node("node1", 1, 1), node("node1", 2, 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node node1 is given twice");
  }

  @Test
  void anInstanceRequestedTwiceInOneGroupIsRejectedAndNothingIsPlaced() {
    Placement p = Placement.over(List.of(node("node1", 1024, 1000)));

    assertThatThrownBy(
            () ->
                p.placeGroup(List.of(request("a.web.web", 1, 1, 1), request("a.web.web", 1, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance a.web.web.v1-i1-d0 is requested twice");
    assertThat(p.view("node1")).isEqualTo(node("node1", 1024, 1000));
  }

  @Test
  void releasingFromAnUnknownNodeIsRejected() {
    Placement p = Placement.over(List.of(node("node1", 1024, 1000)));

    assertThatThrownBy(() -> p.release("ghost", "a.web.web", res(1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no node ghost in the placement table");
    assertThatThrownBy(() -> p.view("ghost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no node ghost in the placement table");
  }

  @Test
  void releasingAnInstanceTheNodeDoesNotHoldIsRejected() {
    Placement p = Placement.over(List.of(node("node1", 1024, 1000)));

    assertThatThrownBy(() -> p.release("node1", "a.web.web", res(256, 250)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot release an instance of a.web.web from node1: it holds none");
  }

  @Test
  void releasingMoreThanIsAllocatedIsRejected() {
    Placement p =
        Placement.over(
            List.of(allocated(holding(node("node1", 1024, 1000), "a.web.web", 1), 128, 250)));

    assertThatThrownBy(() -> p.release("node1", "a.web.web", res(256, 250)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot release (256 MiB, 0.25 CPU) of a.web.web from node1:"
                + " only (128 MiB, 0.25 CPU) is allocated there");
    assertThat(p.view("node1").allocated()).isEqualTo(res(128, 250));
  }

  @Test
  void nodeViewsDropZeroCountsAndRejectNegativeOnes() {
    NodeView view =
        new NodeView(Fixtures.info("node1", 1, 1), Resources.ZERO, true, Map.of("a.web.web", 0));
    assertThat(view.instancesPerPodGroup()).isEmpty();
    assertThatThrownBy(
            () ->
                new NodeView(
                    Fixtures.info("node1", 1, 1), Resources.ZERO, true, Map.of("a.web.web", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("negative instance count on node1 for a.web.web: -1");
  }

  @Test
  void viewsListEveryNodeInNameOrder() {
    Placement p = Placement.over(List.of(node("b", 1, 1), node("a", 1, 1), node("c", 1, 1)));

    assertThat(p.views()).extracting(NodeView::name).containsExactly("a", "b", "c");
  }
}
