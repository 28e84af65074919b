package dev.lain.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.deploy.WebSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Safety properties of the reconciler over random clusters and random histories of operator
 * actions, node failures and agent reports.
 */
class ReconcilerPropertiesTest {

  sealed interface Op {}

  record Deploy(int group, int instances, int memoryMib) implements Op {}

  record Scale(int group, int instances) implements Op {}

  record Upgrade(int group, boolean bad) implements Op {}

  record KillNode(int node) implements Op {}

  record ReviveNode(int node) implements Op {}

  record Advance(int seconds) implements Op {}

  record Report(boolean failSome) implements Op {}

  record Stop(int group) implements Op {}

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Op> op =
        Arbitraries.oneOf(
            Combinators.combine(
                    Arbitraries.integers().between(0, 2),
                    Arbitraries.integers().between(0, 5),
                    Arbitraries.integers().between(32, 400))
                .as(Deploy::new),
            Combinators.combine(
                    Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 6))
                .as(Scale::new),
            Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(true, false))
                .as(Upgrade::new),
            Arbitraries.integers().between(0, 3).map(KillNode::new),
            Arbitraries.integers().between(0, 3).map(ReviveNode::new),
            Arbitraries.integers().between(1, 40).map(Advance::new),
            Arbitraries.of(true, false).map(Report::new),
            Arbitraries.of(true, false).map(Report::new),
            Arbitraries.integers().between(0, 2).map(Stop::new));
    return op.list().ofMinSize(5).ofMaxSize(40);
  }

  private static String group(int g) {
    return "app" + g + ".web.web";
  }

  @Property(tries = 300)
  void safetyHoldsThroughAnyHistory(@ForAll("histories") List<Op> history) {
    World w = new World().node("n0", 1024).node("n1", 512).node("n2", 768).node("n3", 256);
    // A webrouter that keeps up whenever agents report, so web instances drain as they leave.
    w.routers.put("router", 0L);
    int version = 0;
    for (Op op : history) {
      switch (op) {
        case Deploy d -> {
          if (!w.podGroups.containsKey(group(d.group()))) {
            PodGroupSpec spec = World.spec(group(d.group()), d.instances(), d.memoryMib());
            w.deploy(
                d.group() == 0 ? spec : spec.withWeb(WebSettings.ofText(List.of(), true, false)));
          }
        }
        case Scale s -> {
          if (w.podGroups.containsKey(group(s.group()))) {
            w.change(group(s.group()), r -> r.withSpec(r.spec().withNumInstances(s.instances())));
          }
        }
        case Upgrade u -> {
          if (w.podGroups.containsKey(group(u.group()))) {
            String image = "registry/app:" + (u.bad() ? "bad" : "v") + (++version);
            if (u.bad()) {
              w.unhealthyImages.add(image);
            }
            w.upgrade(group(u.group()), image);
          }
        }
        case KillNode k -> w.killNode("n" + k.node());
        case ReviveNode r -> w.reviveNode("n" + r.node());
        case Advance a -> w.advance(Duration.ofSeconds(a.seconds()));
        case Report r -> {
          w.agentsReport();
          w.routersApply();
          if (r.failSome()) {
            w.instances.replaceAll((id, s) -> id.instance() == 2 ? failed(s) : s);
          }
        }
        case Stop s -> {
          if (w.podGroups.containsKey(group(s.group()))) {
            w.change(group(s.group()), rec -> rec.withTarget(TargetState.STOP));
          }
        }
      }
      // Scaling down and stopping remove ready instances on purpose; everything else must not
      // leave a group without a ready instance.
      boolean mayRemoveReady = op instanceof Scale || op instanceof Stop;
      Map<String, Integer> readyBefore = mayRemoveReady ? Map.of() : readyPerGroup(w);
      w.step();
      checkInvariants(w, readyBefore);
    }
  }

  private static InstanceStatus failed(InstanceStatus s) {
    return new InstanceStatus(
        s.id(),
        s.node(),
        s.nodeIp(),
        s.address(),
        s.port(),
        s.hostPort(),
        RunState.FAILED,
        s.health(),
        s.restarts(),
        false,
        1,
        "boom",
        s.since());
  }

  private static void checkInvariants(World w, Map<String, Integer> readyBefore) {
    // Capacity is never exceeded on a node that takes instances.
    Map<String, Resources> used = new HashMap<>();
    for (Assignment a : w.assignments.values()) {
      used.merge(a.node(), a.spec().container().request(), Resources::plus);
    }
    used.forEach(
        (node, resources) ->
            assertThat(resources.fitsIn(w.nodes.get(node).info().capacity()))
                .as("capacity of %s: %s used", node, resources)
                .isTrue());
    for (PodGroupRecord record : w.podGroups.values()) {
      List<Assignment> mine = w.of(record.name());
      // Never more instances than desired: nothing above the wanted count except copies draining
      // on their way out.
      assertThat(mine)
          .filteredOn(a -> !a.draining())
          .allSatisfy(
              a -> assertThat(a.id().instance()).isLessThanOrEqualTo(record.spec().numInstances()));
      // At most an old and a new serving copy of each instance on live nodes (leaving copies
      // drain beside them).
      Map<Integer, Integer> copies = new HashMap<>();
      for (Assignment a : mine) {
        if (w.nodes.get(a.node()).heartbeat() && !a.draining()) {
          copies.merge(a.id().instance(), 1, Integer::sum);
        }
      }
      assertThat(copies.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(2));
      // Upgrades, moves and healing never take away the last ready instance of a group of two or
      // more.
      int before = readyBefore.getOrDefault(record.name(), 0);
      if (before > 0 && record.spec().numInstances() >= 2 && record.target() == TargetState.RUN) {
        assertThat(readyPerGroup(w).getOrDefault(record.name(), 0))
            .as("ready instances of %s after %s", record.name(), w.lastPlan)
            .isPositive();
      }
    }
    // Every assignment is on a known node and carries the spec of its version.
    assertThat(w.assignments.values())
        .allSatisfy(
            a -> {
              assertThat(w.nodes).containsKey(a.node());
              assertThat(a.spec().version()).isEqualTo(a.id().version());
            });
  }

  /**
   * Ready copies per group: running and healthy on a node whose agent is alive, and not draining (a
   * draining copy is already out of service).
   */
  private static Map<String, Integer> readyPerGroup(World w) {
    Map<String, Integer> ready = new HashMap<>();
    for (Assignment a : w.assignments.values()) {
      NodeState node = w.nodes.get(a.node());
      InstanceStatus s = w.instances.get(a.id());
      if (node.heartbeat()
          && !a.draining()
          && s != null
          && s.node().equals(a.node())
          && s.state() == RunState.RUNNING
          && s.health() == Health.HEALTHY) {
        ready.merge(a.id().podGroup(), 1, Integer::sum);
      }
    }
    return ready;
  }
}
