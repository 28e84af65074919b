package dev.lain.deployd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lain.agent.AgentConfig;
import dev.lain.agent.ContainerLabels;
import dev.lain.agent.NodeAgent;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.records.deployd.DeploydState;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.FakeRuntime;
import dev.lain.runtime.ImageBehaviour;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Fence;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine and three node agents on one in-memory store and one fake container engine (as agents
 * on one machine share a dockerd), on real time with short timings.
 */
class EngineWithAgentsTest {
  static final String WEB = "hello.web.web";
  static final Duration HEARTBEAT = Duration.ofMillis(1500);

  @TempDir Path dataRoot;
  Store store;
  FakeRuntime runtime;
  Engine engine;
  final List<NodeAgent> agents = new ArrayList<>();
  DeploydState state;

  @BeforeEach
  void cluster() {
    store = new MemoryStore();
    state = new DeploydState(store);
    runtime = FakeRuntime.onSystemClock();
    runtime
        .addImage("registry/hello:v1")
        .addImage("registry/hello:v2")
        .addImage("registry/hello:bad");
    runtime.behave("registry/hello:bad", ImageBehaviour.runsForever().neverHealthy());
    engine =
        Engine.start(
            store,
            Fence.take(store, "/lain/deployd/leader/alone", "test"),
            () -> {},
            new EngineSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), 3),
            InstantSource.system(),
            Duration.ofMillis(200));
    for (int n = 1; n <= 3; n++) {
      agents.add(agent(n));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> state.snapshot().alive().size() == 3);
  }

  private NodeAgent agent(int n) {
    NodeInfo node =
        new NodeInfo(
            "node" + n,
            "127.0.1." + n,
            22,
            new Resources(1L << 30, 4000),
            Map.of("group", "default"));
    AgentConfig config =
        AgentConfig.defaults(node, dataRoot)
            .withTimings(
                HEARTBEAT, Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(1))
            .withCrashLoop(3, Duration.ofSeconds(30));
    return NodeAgent.start(config, store, runtime, InstantSource.system());
  }

  @AfterEach
  void stop() {
    agents.forEach(NodeAgent::close);
    engine.close();
    runtime.close();
    store.close();
  }

  private static PodGroupSpec web(int instances, String image, HealthCheck health) {
    ContainerSpec container = ContainerSpec.of(image).withPort(8080).withMemoryBytes(64L << 20);
    return new PodGroupSpec(
        WEB,
        "hello",
        1,
        container,
        instances,
        RestartPolicy.ALWAYS,
        List.of(NodeConstraint.DEFAULT_GROUP),
        false,
        health,
        Duration.ZERO,
        Duration.ofSeconds(1));
  }

  private List<InstanceStatus> running() {
    return state.snapshot().instances().stream()
        .filter(s -> s.id().podGroup().equals(WEB) && s.state() == RunState.RUNNING)
        .toList();
  }

  private List<ContainerInfo> containers() {
    return runtime.list(Map.of(ContainerLabels.POD_GROUP, WEB));
  }

  private void deployAndWait(int instances) {
    assertThat(
            state.createPodGroup(
                PodGroupRecord.deployed(
                    web(instances, "registry/hello:v1", new HealthCheck.None()))))
        .isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> running().size() == instances);
  }

  @Test
  void aDeployedWebProcRunsOneInstancePerNodeWithLainsNamesLabelsAndEnvironment() {
    deployAndWait(3);

    Set<String> nodes = running().stream().map(InstanceStatus::node).collect(Collectors.toSet());
    assertThat(nodes).containsExactlyInAnyOrder("node1", "node2", "node3");
    assertThat(containers())
        .extracting(ContainerInfo::name)
        .containsExactlyInAnyOrder(
            "hello.web.web.v1-i1-d0", "hello.web.web.v1-i2-d0", "hello.web.web.v1-i3-d0");
    FakeRuntime.Call.Create create = runtime.calls(FakeRuntime.Call.Create.class).getFirst();
    assertThat(create.request().env())
        .contains("DEPLOYD_POD_NAME=hello.web.web", "DEPLOYD_POD_NAMESPACE=hello");
    assertThat(create.request().port())
        .hasValueSatisfying(
            p -> {
              assertThat(p.hostIp()).startsWith("127.0.1.");
              assertThat(p.containerPort()).isEqualTo(8080);
            });
    assertThat(running()).allSatisfy(s -> assertThat(s.hostPort()).isBetween(20000, 29999));
  }

  @Test
  void aContainerThatDiesIsStartedAgain() {
    deployAndWait(3);
    ContainerInfo victim = containers().getFirst();

    runtime.exit(victim.id(), 137);

    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.starts(victim.id()) == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> running().size() == 3);
    assertThat(running())
        .filteredOn(s -> s.id().containerName().equals(victim.name()))
        .singleElement()
        .satisfies(s -> assertThat(s.restarts()).isEqualTo(1));
  }

  @Test
  void anAgentRestartAdoptsItsContainersWithoutRestartingThem() {
    deployAndWait(3);
    Map<String, Integer> startsBefore =
        containers().stream()
            .collect(Collectors.toMap(ContainerInfo::name, c -> runtime.starts(c.id())));

    agents.removeFirst().close();
    agents.addFirst(agent(1));

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> running().size() == 3);
    assertThat(
            containers().stream()
                .collect(Collectors.toMap(ContainerInfo::name, c -> runtime.starts(c.id()))))
        .isEqualTo(startsBefore);
  }

  @Test
  void instancesOfANodeThatIsGoneForGoodAreReplacedOnTheOtherNodes() {
    deployAndWait(3);
    NodeAgent gone = agents.removeLast();
    gone.close();
    // The machine is gone: so are its containers.
    for (ContainerInfo c : runtime.list(Map.of(ContainerLabels.NODE, "node3"))) {
      runtime.remove(c.id());
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                running().size() == 3
                    && running().stream().noneMatch(s -> s.node().equals("node3")));
    assertThat(state.snapshot().assignments()).extracting(Assignment::node).doesNotContain("node3");
  }

  @Test
  void anUpgradeWhoseFirstInstanceNeverGetsHealthyIsRolledBack() {
    HealthCheck check =
        new HealthCheck.Command("true", Duration.ofSeconds(1), Duration.ofSeconds(1), 1);
    assertThat(state.createPodGroup(PodGroupRecord.deployed(web(2, "registry/hello:v1", check))))
        .isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> running().size() == 2);

    state.updatePodGroup(
        WEB,
        r ->
            r.upgradedTo(
                r.spec().upgradedTo(r.spec().container().withImage("registry/hello:bad"))));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> state.podGroup(WEB).orElseThrow().value().spec().version() == 3);
    PodGroupRecord record = state.podGroup(WEB).orElseThrow().value();
    assertThat(record.spec().container().image()).isEqualTo("registry/hello:v1");
    assertThat(record.notice())
        .startsWith("upgrade to v2 failed: instance 1 did not get ready on v2");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                containers().stream()
                    .filter(c -> c.state() == ContainerState.RUNNING)
                    .map(c -> c.image())
                    .toList()
                    .equals(List.of("registry/hello:v1", "registry/hello:v1")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state.snapshot().conditions().get(WEB).phase().equals("running"));
    assertThat(state.snapshot().conditions().get(WEB).error()).contains("rolled back");
  }

  @Test
  void undeployingLeavesNoContainerBehind() {
    deployAndWait(3);
    state.removePodGroup(WEB);
    await().atMost(Duration.ofSeconds(10)).until(() -> containers().isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(() -> state.snapshot().instances().isEmpty());
    assertThat(state.snapshot().assignments()).isEmpty();
  }
}
