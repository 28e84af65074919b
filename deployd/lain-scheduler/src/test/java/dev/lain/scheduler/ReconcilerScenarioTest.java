package dev.lain.scheduler;

import static dev.lain.scheduler.World.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.DriftRequest;
import dev.lain.model.deploy.Instances;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reconciler over simulated time: what an operator sees happen, pass by pass. */
class ReconcilerScenarioTest {
  static final String WEB = "hello.web.web";

  private static World threeNodes() {
    return new World().node("node1", 1024).node("node2", 1024).node("node3", 1024);
  }

  @Test
  void deployingThreeInstancesPutsOneOnEachNode() {
    World w = threeNodes().deploy(spec(WEB, 3, 64)).settle();

    assertThat(w.of(WEB))
        .extracting(a -> a.id().containerName())
        .containsExactly(
            "hello.web.web.v1-i1-d0", "hello.web.web.v1-i2-d0", "hello.web.web.v1-i3-d0");
    assertThat(w.perNode(WEB)).isEqualTo(Map.of("node1", 1, "node2", 1, "node3", 1));
    assertThat(w.condition(WEB).phase()).isEqualTo("running");
    assertThat(w.condition(WEB).error()).isEmpty();
  }

  @Test
  void withoutCapacityForEveryInstanceNothingIsPlacedAndTheErrorSaysWhy() {
    World w = threeNodes().deploy(spec(WEB, 4, 600)).settle();

    assertThat(w.of(WEB)).isEmpty();
    assertThat(w.condition(WEB).error())
        .startsWith("not enough capacity for 4 new instances (none placed): ")
        .contains("i4");
  }

  @Test
  void scalingDownRemovesTheHighestInstanceNumbersFirst() {
    World w = threeNodes().deploy(spec(WEB, 5, 64)).settle();
    w.change(WEB, r -> r.withSpec(r.spec().withNumInstances(2)));

    w.step();

    assertThat(w.lastPlan.of(Action.Unassign.class))
        .extracting(u -> u.assignment().id().instance())
        .containsExactly(5, 4, 3);
    assertThat(w.of(WEB)).extracting(a -> a.id().instance()).containsExactly(1, 2);
  }

  @Test
  void scalingUpAddsTheNextNumbersAndSpreads() {
    World w = threeNodes().deploy(spec(WEB, 1, 64)).settle();
    w.change(WEB, r -> r.withSpec(r.spec().withNumInstances(3))).settle();

    assertThat(w.of(WEB)).extracting(a -> a.id().instance()).containsExactly(1, 2, 3);
    assertThat(w.perNode(WEB)).hasSize(3);
  }

  @Test
  void aRollingUpgradeStartsEachNewInstanceFirstAndRemovesTheOldOneOnlyWhenTheNewIsReady() {
    World w = threeNodes().deploy(spec(WEB, 3, 64)).settle();
    w.upgrade(WEB, "registry/hello:v2");

    Plan first = w.step();
    // One new copy, of instance 1, next to the old one; nothing removed yet.
    assertThat(first.of(Action.Assign.class))
        .extracting(a -> a.assignment().id().containerName())
        .containsExactly("hello.web.web.v2-i1-d0");
    assertThat(first.of(Action.Unassign.class)).isEmpty();
    assertThat(w.condition(WEB).phase()).startsWith("upgrading to v2");

    // The new copy has not reported yet: no progress, nothing removed.
    assertThat(w.step().of(Action.Unassign.class)).isEmpty();

    w.agentsReport();
    Plan second = w.step();
    assertThat(second.of(Action.Unassign.class))
        .extracting(u -> u.assignment().id().containerName())
        .containsExactly("hello.web.web.v1-i1-d0");

    w.settle();
    assertThat(w.of(WEB))
        .extracting(a -> a.id().containerName())
        .containsExactly(
            "hello.web.web.v2-i1-d0", "hello.web.web.v2-i2-d0", "hello.web.web.v2-i3-d0");
    assertThat(w.condition(WEB).phase()).isEqualTo("running");
  }

  @Test
  void withoutRoomForTwoCopiesTheUpgradeStopsTheOldOneFirst() {
    World w = new World().node("node1", 100).deploy(spec(WEB, 1, 64)).settle();
    w.upgrade(WEB, "registry/hello:v2");

    Plan plan = w.step();

    assertThat(plan.of(Action.Unassign.class))
        .extracting(u -> u.assignment().id().containerName())
        .containsExactly("hello.web.web.v1-i1-d0");
    assertThat(plan.of(Action.Assign.class))
        .extracting(a -> a.assignment().id().containerName())
        .containsExactly("hello.web.web.v2-i1-d0");
    w.settle();
    assertThat(w.of(WEB)).extracting(a -> a.id().version()).containsExactly(2L);
  }

  @Test
  void whenTheFirstUpgradedInstanceNeverGetsReadyThePodGroupRollsBack() {
    World w = threeNodes().deploy(spec(WEB, 3, 64)).settle();
    w.unhealthyImages.add("registry/hello:bad");
    w.upgrade(WEB, "registry/hello:bad");
    w.step();
    w.agentsReport();

    // Within the ready timeout it waits, and the old copies keep serving.
    w.advance(Duration.ofSeconds(20));
    assertThat(w.step().of(Action.RollBack.class)).isEmpty();
    assertThat(w.of(WEB)).filteredOn(a -> a.id().version() == 1).hasSize(3);

    w.advance(Duration.ofSeconds(20));
    Plan plan = w.step();

    assertThat(plan.of(Action.RollBack.class))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.to().version()).isEqualTo(3);
              assertThat(r.to().container().image()).isEqualTo("registry/hello:v1");
              assertThat(r.reason())
                  .startsWith("upgrade to v2 failed: instance 1 did not get ready on v2");
            });
    w.agentsReport();
    w.settle();
    assertThat(w.of(WEB))
        .extracting(a -> a.spec().container().image())
        .containsOnly("registry/hello:v1");
    assertThat(w.of(WEB)).extracting(a -> a.id().version()).containsOnly(3L);
    assertThat(w.condition(WEB).error()).contains("rolled back to the spec of v1 as v3");
    assertThat(w.condition(WEB).phase()).isEqualTo("running");
  }

  @Test
  void aLaterInstanceFailingStallsTheUpgradeWithAnErrorInsteadOfRollingBack() {
    World w = threeNodes().deploy(spec(WEB, 2, 64)).settle();
    w.upgrade(WEB, "registry/hello:v2");
    w.step();
    w.agentsReport();
    w.step(); // instance 1 done, instance 2's new copy assigned
    // instance 2's new copy fails to start
    w.instanceOutcome.put(new dev.lain.model.deploy.InstanceId(WEB, 2, 2, 0), RunState.FAILED);
    w.agentsReport();

    Plan plan = w.step();

    assertThat(plan.of(Action.RollBack.class)).isEmpty();
    assertThat(w.condition(WEB).error())
        .contains("upgrade to v2 stalled: instance 2 did not get ready");
    assertThat(w.of(WEB))
        .extracting(a -> a.id().containerName())
        .contains("hello.web.web.v1-i2-d0");
  }

  @Test
  void instancesOfALostNodeAreReplacedElsewhereAfterTheGracePeriod() {
    World w = threeNodes().deploy(spec(WEB, 3, 64)).settle();
    String lostNode = w.of(WEB).getFirst().node();
    w.killNode(lostNode);

    w.advance(Duration.ofSeconds(5));
    assertThat(w.step().of(Action.Assign.class)).isEmpty();

    w.advance(Duration.ofSeconds(5));
    Plan plan = w.step();

    assertThat(plan.of(Action.Unassign.class))
        .extracting(u -> u.assignment().node())
        .containsExactly(lostNode);
    assertThat(plan.of(Action.Assign.class))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.assignment().node()).isNotEqualTo(lostNode);
              assertThat(a.assignment().id().drift()).isEqualTo(1);
              assertThat(a.assignment().id().instance()).isEqualTo(1);
            });
    w.agentsReport();
    w.settle();
    assertThat(w.of(WEB)).hasSize(3).noneMatch(a -> a.node().equals(lostNode));
  }

  @Test
  void aReturningNodeGetsNoneOfItsOldInstancesBack() {
    World w = threeNodes().deploy(spec(WEB, 3, 64)).settle();
    w.killNode("node1").advance(Duration.ofSeconds(11)).settle();
    w.reviveNode("node1").settle();

    assertThat(w.of(WEB)).hasSize(3).noneMatch(a -> a.node().equals("node1"));
  }

  @Test
  void statefulInstancesWaitForTheirNode() {
    PodGroupSpec db =
        new PodGroupSpec(
            "hello.worker.db",
            "hello",
            1,
            ContainerSpec.of("registry/hello:v1"),
            1,
            dev.lain.model.deploy.RestartPolicy.ALWAYS,
            List.of(),
            true,
            new dev.lain.model.deploy.HealthCheck.None(),
            Duration.ZERO,
            Duration.ofSeconds(10));
    World w = threeNodes().deploy(db).settle();
    String home = w.of("hello.worker.db").getFirst().node();
    w.killNode(home).advance(Duration.ofMinutes(5));

    Plan plan = w.step();

    assertThat(plan.of(Action.Assign.class)).isEmpty();
    assertThat(plan.of(Action.Unassign.class)).isEmpty();
    assertThat(w.condition("hello.worker.db").error())
        .contains("instance 1 waits for node " + home + " (stateful)");
  }

  @Test
  void instancesWithVolumesWaitForTheirNodeToo() {
    PodGroupSpec data = spec("hello.worker.data", 1, 64);
    data =
        new PodGroupSpec(
            data.name(),
            data.app(),
            1,
            data.container().withVolumes(List.of("/data", "/lain/logs")),
            1,
            data.restartPolicy(),
            data.constraints(),
            false,
            data.health(),
            data.setupTime(),
            data.killTimeout());
    World w = threeNodes().deploy(data).settle();
    String home = w.of("hello.worker.data").getFirst().node();
    w.killNode(home).advance(Duration.ofMinutes(1));

    assertThat(w.step().of(Action.Assign.class)).isEmpty();
    assertThat(w.condition("hello.worker.data").error()).contains("its volumes are there");
  }

  @Test
  void losingManyNodesAtOnceOpensTheCircuitBreakerInsteadOfRescheduling() {
    World w =
        new World()
            .node("n1", 1024)
            .node("n2", 1024)
            .node("n3", 1024)
            .node("n4", 1024)
            .node("n5", 1024)
            .deploy(spec(WEB, 5, 64))
            .settle();
    w.killNode("n1").killNode("n2").killNode("n3").advance(Duration.ofSeconds(30));

    Plan plan = w.step();

    assertThat(plan.of(Action.Assign.class)).isEmpty();
    assertThat(plan.of(Action.RaiseAlert.class))
        .singleElement()
        .satisfies(
            a -> assertThat(a.message()).startsWith("3 of 5 nodes lost at once (n1, n2, n3)"));
  }

  @Test
  void undeployingRemovesEveryInstance() {
    World w = threeNodes().deploy(spec(WEB, 3, 64)).settle();
    w.undeploy(WEB).settle();
    assertThat(w.assignments).isEmpty();
  }

  @Test
  void stoppingAndStartingAGroupOrOneInstanceChangesOnlyTheTarget() {
    World w = threeNodes().deploy(spec(WEB, 2, 64)).settle();
    w.change(WEB, r -> r.withInstanceTarget(2, TargetState.STOP)).settle();
    assertThat(w.of(WEB))
        .extracting(Assignment::target)
        .containsExactly(TargetState.RUN, TargetState.STOP);

    w.change(WEB, r -> r.withTarget(TargetState.STOP)).settle();
    assertThat(w.of(WEB)).extracting(Assignment::target).containsOnly(TargetState.STOP);
    assertThat(w.condition(WEB).phase()).isEqualTo("stopped");

    w.change(WEB, r -> r.withTarget(TargetState.RUN)).settle();
    assertThat(w.of(WEB)).extracting(Assignment::target).containsOnly(TargetState.RUN);
    assertThat(w.of(WEB))
        .extracting(a -> a.id().containerName())
        .containsExactly("hello.web.web.v1-i1-d0", "hello.web.web.v1-i2-d0");
  }

  @Test
  void restartingAnInstanceRaisesItsRestartGeneration() {
    World w = threeNodes().deploy(spec(WEB, 2, 64)).settle();
    w.change(WEB, r -> r.restarted(Instances.one(2))).settle();
    assertThat(w.of(WEB)).extracting(Assignment::restartGeneration).containsExactly(0L, 1L);
  }

  @Test
  void driftingMovesAnInstanceNewCopyFirst() {
    World w = threeNodes().deploy(spec(WEB, 1, 64)).settle();
    String from = w.of(WEB).getFirst().node();
    w.change(WEB, r -> r.withDrift(1, new DriftRequest(Optional.empty(), false)));

    Plan plan = w.step();
    assertThat(plan.of(Action.Assign.class))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.assignment().id().drift()).isEqualTo(1);
              assertThat(a.assignment().node()).isNotEqualTo(from);
            });
    assertThat(plan.of(Action.Unassign.class)).isEmpty();
    w.agentsReport();
    w.settle();
    assertThat(w.of(WEB)).singleElement().satisfies(a -> assertThat(a.node()).isNotEqualTo(from));
    assertThat(w.podGroups.get(WEB).drifts()).isEmpty();
  }

  @Test
  void drainingANodeMovesItsInstancesAwayAndMaintenanceTakesNoNewOnes() {
    World w = threeNodes().mode("node3", NodeMode.MAINTENANCE).deploy(spec(WEB, 2, 64)).settle();
    assertThat(w.perNode(WEB)).doesNotContainKey("node3");

    w.mode("node3", NodeMode.ACTIVE).mode("node1", NodeMode.DRAINING).settle();
    assertThat(w.perNode(WEB)).doesNotContainKey("node1").hasSize(2);
  }

  @Test
  void aCrashLoopIsReportedOnThePodGroup() {
    World w = threeNodes();
    w.imageOutcome.put("registry/hello:v1", RunState.CRASH_LOOP);
    w.deploy(spec(WEB, 1, 64)).settle();
    w.step();
    assertThat(w.condition(WEB).error()).contains("instance 1 keeps crashing");
  }

  @Test
  void constraintsKeepInstancesOnMatchingNodes() {
    World w = new World().node("a", 1024).node("b", 1024, "group=gpu");
    PodGroupSpec s = spec(WEB, 2, 64);
    s =
        new PodGroupSpec(
            s.name(),
            s.app(),
            1,
            s.container(),
            2,
            s.restartPolicy(),
            List.of(new dev.lain.model.deploy.NodeConstraint("group", true, "gpu")),
            false,
            s.health(),
            s.setupTime(),
            s.killTimeout());
    w.deploy(s).settle();
    assertThat(w.perNode(WEB)).isEqualTo(Map.of("b", 2));
  }
}
