package dev.lain.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every indexing against the reference on a cluster large enough for deep trees and many equal
 * keys, with some pod groups spread over many nodes, filled until groups fail, with releases in
 * between.
 */
class LargeClusterTest {
  private static final List<List<NodeConstraint>> CONSTRAINT_SETS =
      List.of(
          List.of(),
          List.of(NodeConstraint.DEFAULT_GROUP),
          List.of(NodeConstraint.DEFAULT_GROUP, Fixtures.eq("ssd", "yes")),
          List.of(Fixtures.ne("group", "default")));

  @ParameterizedTest
  @EnumSource(Indexing.class)
  void agreesWithTheReferenceUntilTheClusterIsFull(Indexing indexing) {
    Random random = new Random(42);
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      Map<String, String> labels =
          switch (i % 10) {
            case 0 -> Map.of("group", "gpu");
            case 1, 2, 3 -> Map.of("group", "default", "ssd", "yes");
            default -> Map.of("group", "default");
          };
      NodeInfo info =
          new NodeInfo(
              String.format("node%04d", i),
              "10.0.0.1",
              22,
              Fixtures.res(1024L * (1 + random.nextInt(4)), 1000L * (1 + random.nextInt(4))),
              labels);
      nodes.add(new NodeView(info, Resources.ZERO, i % 50 != 7, Map.of()));
    }
    Placement placement = Placement.over(nodes, indexing.tuning());
    ReferencePlacement reference = new ReferencePlacement(nodes);
    List<PlacementRequest> placed = new ArrayList<>();
    Map<InstanceId, String> where = new HashMap<>();
    int failures = 0;
    for (int g = 0; failures < 60; g++) {
      String podGroup = "app" + g + ".web.web";
      List<NodeConstraint> constraints =
          CONSTRAINT_SETS.get(random.nextInt(CONSTRAINT_SETS.size()));
      Resources size = Fixtures.res(128L * (1 + random.nextInt(4)), 125L * (1 + random.nextInt(8)));
      List<PlacementRequest> group = new ArrayList<>();
      // Mostly small groups; every 25th is large enough for a pod group index of its own.
      int instances = g % 25 == 0 ? 40 + random.nextInt(60) : 1 + random.nextInt(8);
      for (int i = 1; i <= instances; i++) {
        PlacementRequest r =
            PlacementRequest.of(new InstanceId(podGroup, i, 1, 0), size, constraints);
        if (random.nextInt(20) == 0) {
          r = r.withAvoidNodes(Set.of(String.format("node%04d", random.nextInt(1500))));
        }
        group.add(r);
      }

      PlacementOutcome got = placement.placeGroup(group);
      PlacementOutcome expected = reference.placeGroup(group);

      if (expected instanceof PlacementOutcome.Placed p) {
        assertThat(got).isEqualTo(p);
        placed.addAll(group);
        where.putAll(p.nodes());
      } else {
        failures++;
        assertThat(got).isInstanceOf(PlacementOutcome.Unplaceable.class);
        assertThat(((PlacementOutcome.Unplaceable) got).request())
            .isEqualTo(((PlacementOutcome.Unplaceable) expected).request());
      }
      if (g % 7 == 0 && !placed.isEmpty()) {
        PlacementRequest gone = placed.remove(random.nextInt(placed.size()));
        String node = where.remove(gone.id());
        placement.release(node, gone.id().podGroup(), gone.request());
        reference.release(node, gone.id().podGroup(), gone.request());
      }
    }
    assertThat(placement.views()).isEqualTo(reference.views());
    assertThat(placed).hasSizeGreaterThan(2500);
  }
}
