package dev.lain.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRequest;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.FakeRuntime;
import dev.lain.runtime.ImageBehaviour;
import dev.lain.runtime.NetworkInfo;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One agent against assignments written straight into the store (no engine). */
class NodeAgentTest {
  @TempDir Path dataRoot;
  Store store;
  DeploydState state;
  FakeRuntime runtime;
  NodeAgent agent;
  AgentConfig config;

  @BeforeEach
  void start() {
    store = new MemoryStore();
    state = new DeploydState(store);
    runtime = FakeRuntime.onSystemClock();
    runtime.addImage("app:1").addImage("crash:1").addImage("job:1");
    runtime.behave("crash:1", ImageBehaviour.exitsAfter(Duration.ofMillis(50), 3));
    runtime.behave("job:1", ImageBehaviour.exitsAfter(Duration.ofMillis(50), 0));
    NodeInfo node =
        new NodeInfo(
            "node1", "127.0.1.1", 22, new Resources(1L << 30, 2000), Map.of("group", "default"));
    config =
        AgentConfig.defaults(node, dataRoot)
            .withTimings(
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                Duration.ofMillis(200))
            .withCrashLoop(3, Duration.ofSeconds(30));
    agent = NodeAgent.start(config, store, runtime, InstantSource.system());
  }

  @AfterEach
  void stop() {
    agent.close();
    runtime.close();
    store.close();
  }

  private static Assignment assignment(
      String pg, String image, RestartPolicy policy, TargetState target, long generation) {
    return assignment(pg, image, policy, target, generation, new HealthCheck.None());
  }

  private static Assignment assignment(
      String pg,
      String image,
      RestartPolicy policy,
      TargetState target,
      long generation,
      HealthCheck health) {
    String app = pg.substring(0, pg.indexOf('.'));
    PodGroupSpec spec =
        new PodGroupSpec(
            pg,
            app,
            1,
            ContainerSpec.of(image).withPort(8080),
            1,
            policy,
            List.of(),
            false,
            health,
            Duration.ZERO,
            Duration.ofSeconds(1));
    return new Assignment(
        new InstanceId(pg, 1, 1, 0), "node1", spec, target, generation, Instant.EPOCH);
  }

  private Optional<InstanceStatus> status(String pg) {
    return state.instancesOf("node1").stream()
        .filter(s -> s.id().podGroup().equals(pg))
        .findFirst();
  }

  private List<ContainerInfo> containers(String pg) {
    return runtime.list(Map.of(ContainerLabels.POD_GROUP, pg));
  }

  @Test
  void theNodeIsRegisteredWithAHeartbeat() {
    await().atMost(Duration.ofSeconds(5)).until(() -> state.snapshot().alive().contains("node1"));
    assertThat(state.nodes()).containsKey("node1");
  }

  @Test
  void labelsTheOperatorChangedSurviveAnAgentRestart() {
    await().atMost(Duration.ofSeconds(5)).until(() -> state.snapshot().alive().contains("node1"));
    NodeInfo registered = state.nodes().get("node1");
    state.registerNode(registered.withLabels(Map.of("group", "default", "disk", "ssd")));
    agent.close();

    agent = NodeAgent.start(config, store, runtime, InstantSource.system());

    await().atMost(Duration.ofSeconds(5)).until(() -> state.snapshot().alive().contains("node1"));
    assertThat(state.nodes().get("node1").labels())
        .isEqualTo(Map.of("group", "default", "disk", "ssd"));
  }

  @Test
  void anAssignedInstanceRunsAndIsReportedWithItsHostPort() {
    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status("a.web.web").map(s -> s.state() == RunState.RUNNING).orElse(false));
    InstanceStatus s = status("a.web.web").orElseThrow();
    assertThat(s.nodeIp()).isEqualTo("127.0.1.1");
    assertThat(s.hostPort()).isEqualTo(20000);
  }

  @Test
  void onTheContainerNetworkAnInstanceHasAnAddressOfTheNodesBlockAndNoHostPort() {
    // Started after node0 took the first block, so that node1 cannot have raced it for it.
    agent.close();
    ContainerNetworks networks = new ContainerNetworks(store);
    networks.define(
        new NetworkSettings(new AddressPool(Cidr.parse("172.20.0.0/16"), 24), false), List.of());
    networks.assign("node0", "127.0.1.9");
    agent = NodeAgent.start(config, store, runtime, InstantSource.system());

    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status("a.web.web").map(s -> s.state() == RunState.RUNNING).orElse(false));
    assertThat(networks.blockOf("node1").orElseThrow().network())
        .as("the agent takes its node's block when nobody gave it one")
        .isEqualTo(Cidr.parse("172.20.1.0/24"));
    NetworkInfo network = runtime.network(NodeNetwork.DOCKER_NETWORK).orElseThrow();
    assertThat(network.subnet()).isEqualTo("172.20.1.0/24");
    assertThat(network.gateway()).isEqualTo("172.20.1.1");
    assertThat(network.bridge()).isEqualTo("lainbr0");
    InstanceStatus s = status("a.web.web").orElseThrow();
    assertThat(s.address()).isEqualTo("172.20.1.2");
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.hostPort()).isZero();
    assertThat(s.endpoint()).contains(new InstanceStatus.Endpoint("172.20.1.2", 8080));
    assertThat(containers("a.web.web").getFirst().ports()).isEmpty();
  }

  @Test
  void anAgentRestartOnTheContainerNetworkKeepsTheContainer() {
    ContainerNetworks networks = new ContainerNetworks(store);
    networks.define(
        new NetworkSettings(new AddressPool(Cidr.parse("172.20.0.0/16"), 24), true), List.of());
    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status("a.web.web").map(s -> !s.address().isEmpty()).orElse(false));
    String id = containers("a.web.web").getFirst().id();
    agent.close();

    agent = NodeAgent.start(config, store, runtime, InstantSource.system());

    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(containers("a.web.web")).extracting(ContainerInfo::id).containsExactly(id);
  }

  @Test
  void anAgentRestartKeepsAHealthyInstanceHealthyInItsReports() throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.1.1", 0), 0);
    app.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    app.start();
    try {
      agent.close();
      int port = app.getAddress().getPort();
      config = config.withPorts(port, port);
      agent = NodeAgent.start(config, store, runtime, InstantSource.system());
      HealthCheck check =
          new HealthCheck.Http("/", Duration.ofMillis(200), Duration.ofSeconds(1), 1);
      state.applyAssignments(
          List.of(
              assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0, check)),
          List.of());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> status("a.web.web").map(s -> s.health() == Health.HEALTHY).orElse(false));
      agent.close();
      List<String> reported = new CopyOnWriteArrayList<>();
      Watch watch =
          store.watch(
              DeploydKeys.instancesOf("node1"),
              store.revision() + 1,
              events ->
                  events.forEach(
                      e -> {
                        if (e instanceof WatchEvent.Put put) {
                          reported.add(put.kv().value());
                        }
                      }));
      try {
        agent = NodeAgent.start(config, store, runtime, InstantSource.system());

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(reported)
            .as("reports written by the restarted agent")
            .noneMatch(json -> json.contains("STARTING"));
        assertThat(status("a.web.web").orElseThrow().health()).isEqualTo(Health.HEALTHY);
      } finally {
        watch.close();
      }
    } finally {
      app.stop(0);
    }
  }

  @Test
  void stoppingAndStartingChangesTheContainerNotTheAssignmentId() {
    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status("a.web.web").map(s -> s.state() == RunState.RUNNING).orElse(false));

    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.STOP, 0)),
        List.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> containers("a.web.web").getFirst().state() == ContainerState.EXITED);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status("a.web.web").orElseThrow().state() == RunState.STOPPED);

    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> containers("a.web.web").getFirst().state() == ContainerState.RUNNING);
    assertThat(containers("a.web.web")).hasSize(1);
  }

  @Test
  void aRestartRequestRecreatesTheContainer() {
    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> containers("a.web.web").size() == 1);
    String first = containers("a.web.web").getFirst().id();

    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 1)),
        List.of());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                containers("a.web.web").size() == 1
                    && !containers("a.web.web").getFirst().id().equals(first));
    assertThat(containers("a.web.web").getFirst().labels())
        .containsEntry(ContainerLabels.RESTART_GENERATION, "1");
  }

  @Test
  void aContainerNoLongerAssignedIsRemovedWithItsReport() {
    Assignment a = assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0);
    state.applyAssignments(List.of(a), List.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> status("a.web.web").isPresent());

    state.applyAssignments(List.of(), List.of(a));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> containers("a.web.web").isEmpty() && status("a.web.web").isEmpty());
  }

  @Test
  void anInstanceThatKeepsExitingIsLeftStoppedAsACrashLoop() {
    state.applyAssignments(
        List.of(assignment("c.worker.worker", "crash:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                status("c.worker.worker").map(s -> s.state() == RunState.CRASH_LOOP).orElse(false));
    InstanceStatus s = status("c.worker.worker").orElseThrow();
    assertThat(s.restarts()).isEqualTo(3);
    assertThat(s.error()).contains("exited with code 3").contains("not restarted again");
    int starts = runtime.startsByName("c.worker.worker.v1-i1-d0");
    assertThat(starts).isEqualTo(4);
  }

  @Test
  void aOneshotThatSucceededIsNotRunAgain() {
    state.applyAssignments(
        List.of(
            assignment("j.oneshot.migrate", "job:1", RestartPolicy.ON_FAILURE, TargetState.RUN, 0)),
        List.of());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status("j.oneshot.migrate").map(InstanceStatus::completed).orElse(false));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> runtime.startsByName("j.oneshot.migrate.v1-i1-d0") == 1);
  }

  @Test
  void containersOfOtherNodesAreLeftAlone() {
    String foreign =
        runtime.create(
            new ContainerRequest(
                "x.web.web.v1-i1-d0",
                "app:1",
                Optional.empty(),
                List.of(),
                List.of(),
                Map.of(ContainerLabels.NODE, "node2", ContainerLabels.POD_GROUP, "x.web.web"),
                "",
                "",
                32L << 20,
                0,
                0,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                true,
                Optional.empty()));
    runtime.start(foreign);
    agent.wake();

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> runtime.inspect(foreign).isPresent());
  }

  @Test
  void aPassThatFailsWhileDockerIsAwayIsRetriedSoonerThanTheResync() throws InterruptedException {
    agent.close();
    // With a resync of a minute, only the retry of the failed pass can start the instance in time.
    agent =
        NodeAgent.start(
            config.withTimings(
                Duration.ofSeconds(5),
                Duration.ofMinutes(1),
                Duration.ofMillis(50),
                Duration.ofMillis(200)),
            store,
            runtime,
            InstantSource.system());
    await().atMost(Duration.ofSeconds(5)).until(() -> state.snapshot().alive().contains("node1"));
    runtime.setAvailable(false);
    state.applyAssignments(
        List.of(assignment("a.web.web", "app:1", RestartPolicy.ALWAYS, TargetState.RUN, 0)),
        List.of());
    Thread.sleep(500);
    assertThat(status("a.web.web")).isEmpty();

    runtime.setAvailable(true);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status("a.web.web").map(s -> s.state() == RunState.RUNNING).orElse(false));
  }
}
