package dev.lain.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every situation one instance can be in, and what one pass does about it: the state-transition
 * table of the reconciler. One pod group of two instances; instance 2 is always running and healthy
 * (at the old version during an upgrade, so instance 1 is the first to be upgraded), instance 1 is
 * the subject.
 *
 * <p>Outcome words: {@code keep} (nothing), {@code place} (a new copy of instance 1), {@code
 * remove-old} (an old copy goes), {@code remove-lost} (a copy on a lost node goes), {@code
 * rollback}.
 */
class InstanceTransitionTableTest {
  static final String PG = "app.web.web";

  enum Copies {
    NONE,
    CURRENT,
    OLD,
    OLD_AND_CURRENT
  }

  enum Status {
    UNREPORTED,
    CREATING,
    HEALTHY,
    UNHEALTHY,
    FAILED,
    CRASH_LOOP,
    EXITED_0
  }

  enum Node {
    ALIVE,
    DOWN_IN_GRACE,
    LOST
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // copies, status of the newest copy, its node, pinned, age of the newest copy (s) ->
        // outcome
        row(Copies.NONE, Status.UNREPORTED, Node.ALIVE, false, 0, "place"),
        row(Copies.CURRENT, Status.UNREPORTED, Node.ALIVE, false, 0, "keep"),
        row(Copies.CURRENT, Status.CREATING, Node.ALIVE, false, 0, "keep"),
        row(Copies.CURRENT, Status.HEALTHY, Node.ALIVE, false, 0, "keep"),
        row(Copies.CURRENT, Status.UNHEALTHY, Node.ALIVE, false, 0, "keep"),
        row(Copies.CURRENT, Status.FAILED, Node.ALIVE, false, 0, "keep"),
        row(Copies.CURRENT, Status.CRASH_LOOP, Node.ALIVE, false, 0, "keep"),
        row(Copies.CURRENT, Status.EXITED_0, Node.ALIVE, false, 0, "keep"),
        row(Copies.CURRENT, Status.HEALTHY, Node.DOWN_IN_GRACE, false, 0, "keep"),
        row(Copies.CURRENT, Status.HEALTHY, Node.LOST, false, 0, "remove-lost place"),
        row(Copies.CURRENT, Status.HEALTHY, Node.LOST, true, 0, "keep"),
        // Upgrades: the old copy is the subject's only copy.
        row(Copies.OLD, Status.HEALTHY, Node.ALIVE, false, 0, "place"),
        row(Copies.OLD, Status.UNREPORTED, Node.ALIVE, false, 0, "place"),
        row(Copies.OLD, Status.HEALTHY, Node.LOST, false, 0, "remove-lost place"),
        row(Copies.OLD, Status.HEALTHY, Node.LOST, true, 0, "keep"),
        // Upgrades in flight: the new copy's state decides.
        row(Copies.OLD_AND_CURRENT, Status.HEALTHY, Node.ALIVE, false, 0, "remove-old"),
        row(Copies.OLD_AND_CURRENT, Status.EXITED_0, Node.ALIVE, false, 0, "remove-old"),
        row(Copies.OLD_AND_CURRENT, Status.UNREPORTED, Node.ALIVE, false, 0, "keep"),
        row(Copies.OLD_AND_CURRENT, Status.CREATING, Node.ALIVE, false, 0, "keep"),
        row(Copies.OLD_AND_CURRENT, Status.UNHEALTHY, Node.ALIVE, false, 0, "keep"),
        row(Copies.OLD_AND_CURRENT, Status.UNHEALTHY, Node.ALIVE, false, 120, "rollback"),
        row(Copies.OLD_AND_CURRENT, Status.UNREPORTED, Node.ALIVE, false, 120, "rollback"),
        row(Copies.OLD_AND_CURRENT, Status.FAILED, Node.ALIVE, false, 0, "rollback"),
        row(Copies.OLD_AND_CURRENT, Status.CRASH_LOOP, Node.ALIVE, false, 0, "rollback"),
        row(Copies.OLD_AND_CURRENT, Status.HEALTHY, Node.DOWN_IN_GRACE, false, 0, "keep"));
  }

  private static Arguments row(
      Copies copies, Status status, Node node, boolean pinned, int ageSeconds, String outcome) {
    return Arguments.of(copies, status, node, pinned, ageSeconds, outcome);
  }

  @ParameterizedTest(name = "{0} {1} on {2} node (pinned {3}, {4} s old) -> {5}")
  @MethodSource("table")
  void onePassDoesWhatTheTableSays(
      Copies copies, Status status, Node node, boolean pinned, int ageSeconds, String outcome) {
    World w = new World().node("subject", 1024).node("other", 1024).node("spare", 1024);
    PodGroupSpec v1 =
        World.spec(PG, 2, 64)
            .withHealth(
                new HealthCheck.Http("/h", Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
    if (pinned) {
      v1 =
          new PodGroupSpec(
              PG,
              "app",
              1,
              v1.container(),
              2,
              v1.restartPolicy(),
              v1.constraints(),
              true,
              v1.health(),
              v1.setupTime(),
              v1.killTimeout());
    }
    boolean upgrading = copies == Copies.OLD || copies == Copies.OLD_AND_CURRENT;
    PodGroupSpec current =
        upgrading ? v1.upgradedTo(v1.container().withImage("registry/app:v2")) : v1;
    PodGroupRecord record =
        upgrading ? PodGroupRecord.deployed(v1).upgradedTo(current) : PodGroupRecord.deployed(v1);
    w.podGroups.put(PG, record);

    // Instance 2: running and healthy on "other", not yet upgraded (so instance 1 goes first).
    put(w, upgrading ? v1 : current, 2, "other", Status.HEALTHY, 0);
    if (copies != Copies.NONE) {
      if (copies == Copies.OLD || copies == Copies.OLD_AND_CURRENT) {
        put(w, v1, 1, "subject", copies == Copies.OLD ? status : Status.HEALTHY, 0);
      }
      if (copies == Copies.CURRENT || copies == Copies.OLD_AND_CURRENT) {
        put(
            w,
            current,
            1,
            copies == Copies.OLD_AND_CURRENT ? "other" : "subject",
            status,
            ageSeconds);
      }
    }
    String nodeOfNewest = copies == Copies.OLD_AND_CURRENT ? "other" : "subject";
    if (node != Node.ALIVE) {
      w.killNode(nodeOfNewest);
      if (node == Node.LOST) {
        w.advance(w.settings.nodeGrace());
      }
    }
    w.advance(Duration.ofSeconds(ageSeconds));

    Plan plan = Reconciler.compute(w.state(), w.now, w.settings);

    assertThat(describe(plan, w)).as("plan: %s", plan).isEqualTo(outcome);
  }

  private static void put(
      World w, PodGroupSpec spec, int instance, String node, Status status, int ageSeconds) {
    InstanceId id = new InstanceId(PG, instance, spec.version(), 0);
    w.assignments.put(id, new Assignment(id, node, spec, TargetState.RUN, 0, w.now));
    RunState state =
        switch (status) {
          case UNREPORTED -> null;
          case CREATING -> RunState.CREATING;
          case HEALTHY, UNHEALTHY -> RunState.RUNNING;
          case FAILED -> RunState.FAILED;
          case CRASH_LOOP -> RunState.CRASH_LOOP;
          case EXITED_0 -> RunState.EXITED;
        };
    if (state != null) {
      Health health =
          status == Status.HEALTHY
              ? Health.HEALTHY
              : status == Status.UNHEALTHY ? Health.UNHEALTHY : Health.STARTING;
      w.instances.put(
          id,
          new InstanceStatus(
              id, node, "127.0.1.9", "", 0, 20000, state, health, 0, false, 0, "", w.now));
    }
  }

  private static String describe(Plan plan, World w) {
    List<String> words = new ArrayList<>();
    for (Action.Unassign u : plan.of(Action.Unassign.class)) {
      NodeState node = w.nodes.get(u.assignment().node());
      boolean lost = node.lost(w.now, w.settings.nodeGrace());
      words.add(lost ? "remove-lost" : "remove-old");
    }
    for (Action.Assign a : plan.of(Action.Assign.class)) {
      if (a.assignment().id().instance() == 1) {
        words.add("place");
      }
    }
    if (!plan.of(Action.RollBack.class).isEmpty()) {
      words.add("rollback");
    }
    return words.isEmpty() ? "keep" : String.join(" ", words);
  }
}
