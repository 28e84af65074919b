package dev.lain.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.WebSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Web instances leave without failing requests: marked draining, kept until every webrouter has
 * applied the mark and the drain delay has passed, then removed.
 */
class DrainingTest {
  static final String WEB = "hello.web.web";

  private static World cluster() {
    World w = new World().node("node1", 1024).node("node2", 1024).node("node3", 1024);
    w.routers.put("router1", 0L);
    w.routers.put("router2", 0L);
    return w;
  }

  private static PodGroupSpec web(int instances) {
    return World.spec(WEB, instances, 64).withWeb(WebSettings.ofText(List.of(), true, false));
  }

  /** Steps with every router keeping up. */
  private static void settleWithRouters(World w) {
    for (int i = 0; i < 30; i++) {
      w.agentsReport();
      w.routersApply();
      w.advance(Duration.ofSeconds(1));
      w.step();
    }
  }

  @Test
  void anUpgradedInstancesOldCopyLeavesOnlyAfterEveryRouterDroppedItAndTheDelayPassed() {
    World w = cluster().deploy(web(1));
    settleWithRouters(w);
    w.upgrade(WEB, "registry/hello:v2");
    w.step();
    w.agentsReport();

    Plan marking = w.step();

    assertThat(marking.of(Action.Unassign.class)).isEmpty();
    assertThat(marking.of(Action.Assign.class))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.assignment().id().version()).isEqualTo(1);
              assertThat(a.assignment().drainingSince()).contains(w.now);
            });

    // One router has not applied the mark yet: the old copy stays, however long it takes.
    w.routers.put("router1", w.revision);
    w.advance(Duration.ofSeconds(30));
    assertThat(w.step().of(Action.Unassign.class)).isEmpty();

    w.routersApply();
    Plan removal = w.step();
    assertThat(removal.of(Action.Unassign.class))
        .extracting(u -> u.assignment().id().version())
        .containsExactly(1L);
  }

  @Test
  void theDrainDelayCountsFromTheMark() {
    World w = cluster().deploy(web(1));
    settleWithRouters(w);
    w.upgrade(WEB, "registry/hello:v2");
    w.step();
    w.agentsReport();
    w.step(); // marks the old copy
    w.routersApply();

    w.advance(Duration.ofSeconds(2));
    assertThat(w.step().of(Action.Unassign.class)).isEmpty();
    w.advance(Duration.ofSeconds(1));
    assertThat(w.step().of(Action.Unassign.class)).hasSize(1);
  }

  @Test
  void scalingDownAndUndeployingDrainToo() {
    World w = cluster().deploy(web(3));
    settleWithRouters(w);
    w.change(WEB, r -> r.withSpec(r.spec().withNumInstances(1)));

    Plan plan = w.step();
    assertThat(plan.of(Action.Unassign.class)).isEmpty();
    assertThat(w.of(WEB))
        .filteredOn(Assignment::draining)
        .extracting(a -> a.id().instance())
        .containsExactlyInAnyOrder(2, 3);
    settleWithRouters(w);
    assertThat(w.of(WEB)).extracting(a -> a.id().instance()).containsExactly(1);

    w.undeploy(WEB);
    assertThat(w.step().of(Action.Unassign.class)).isEmpty();
    settleWithRouters(w);
    assertThat(w.assignments).isEmpty();
  }

  @Test
  void withoutRoutersOrForNonWebProcsCopiesGoAtOnce() {
    World w = new World().node("node1", 1024).deploy(web(2));
    w.settle();
    w.change(WEB, r -> r.withSpec(r.spec().withNumInstances(1)));
    assertThat(w.step().of(Action.Unassign.class)).hasSize(1);

    World workers = cluster().deploy(World.spec("hello.worker.worker", 2, 64));
    settleWithRouters(workers);
    workers.change("hello.worker.worker", r -> r.withSpec(r.spec().withNumInstances(1)));
    assertThat(workers.step().of(Action.Unassign.class)).hasSize(1);
  }

  @Test
  void aCopyWhoseNodeDiedGoesWithoutDraining() {
    World w = cluster().deploy(web(2));
    settleWithRouters(w);
    String node = w.of(WEB).getLast().node();
    w.change(WEB, r -> r.withSpec(r.spec().withNumInstances(1)));
    w.step(); // instance 2 marked draining
    w.killNode(node);
    w.advance(Duration.ofSeconds(1));
    assertThat(w.step().of(Action.Unassign.class))
        .extracting(u -> u.assignment().id().instance())
        .contains(2);
  }
}
