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
import dev.lain.runtime.FakeRuntime;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Fence;
import dev.lain.store.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine, two agents, the store's leases and the fake container engine all on one fake clock:
 * restart back-off and node-loss grace happen exactly when the test moves time, never before.
 */
class FakeTimeScenarioTest {
  static final String WEB = "hello.web.web";

  @TempDir Path dataRoot;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  final InstantSource clock = () -> now.get();
  MemoryStore store;
  FakeRuntime runtime;
  DeploydState state;
  Engine engine;
  NodeAgent agent1;
  NodeAgent agent2;

  @BeforeEach
  void start() {
    store = new MemoryStore(clock, Duration.ZERO);
    state = new DeploydState(store);
    runtime = new FakeRuntime(clock);
    runtime.addImage("registry/hello:v1");
    engine =
        Engine.start(
            store,
            Fence.take(store, "/lain/deployd/leader/alone", "test"),
            () -> {},
            new EngineSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 3),
            clock,
            Duration.ofMillis(100));
    // node1 outlives every step the test takes; node2's short lease is the one that runs out.
    agent1 = agent(1, Duration.ofSeconds(60));
    agent2 = agent(2, Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> state.snapshot().alive().size() == 2);
  }

  private NodeAgent agent(int n, Duration heartbeatTtl) {
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
                heartbeatTtl, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(8));
    return NodeAgent.start(config, store, runtime, clock);
  }

  @AfterEach
  void stop() {
    agent1.close();
    agent2.close();
    engine.close();
    runtime.close();
    store.close();
  }

  private void advance(Duration d) {
    now.set(now.get().plus(d));
    runtime.tick();
    store.expireLeases();
  }

  private List<InstanceStatus> running() {
    List<String> assigned =
        state.snapshot().assignments().stream().map(a -> a.id().containerName()).toList();
    return state.snapshot().instances().stream()
        .filter(s -> s.state() == RunState.RUNNING && assigned.contains(s.id().containerName()))
        .toList();
  }

  @Test
  void restartBackOffAndNodeLossGraceFollowTheClock() throws InterruptedException {
    ContainerSpec container =
        ContainerSpec.of("registry/hello:v1").withPort(8080).withMemoryBytes(64L << 20);
    state.createPodGroup(
        PodGroupRecord.deployed(
            new PodGroupSpec(
                WEB,
                "hello",
                1,
                container,
                2,
                RestartPolicy.ALWAYS,
                List.of(NodeConstraint.DEFAULT_GROUP),
                false,
                new HealthCheck.None(),
                Duration.ZERO,
                Duration.ofSeconds(1))));
    await().atMost(Duration.ofSeconds(10)).until(() -> running().size() == 2);

    // A crash: the restart waits for its back-off on the fake clock, however long real time passes.
    ContainerInfo victim = runtime.list(Map.of(ContainerLabels.NODE, "node1")).getFirst();
    runtime.exit(victim.id(), 1);
    Thread.sleep(500);
    assertThat(runtime.starts(victim.id())).isEqualTo(1);
    advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> runtime.starts(victim.id()) == 2);

    // node2 goes away for good: its heartbeat lease ends only when the clock passes its TTL, and
    // its
    // instance moves only after the grace period on top.
    agent2.close();
    for (ContainerInfo c : runtime.list(Map.of(ContainerLabels.NODE, "node2"))) {
      runtime.remove(c.id());
    }
    advance(Duration.ofSeconds(6));
    await().atMost(Duration.ofSeconds(5)).until(() -> !state.snapshot().alive().contains("node2"));
    assertThat(state.snapshot().alive()).contains("node1");
    Thread.sleep(500);
    assertThat(state.snapshot().assignments()).extracting(Assignment::node).contains("node2");

    advance(Duration.ofSeconds(10));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                running().size() == 2
                    && running().stream().allMatch(s -> s.node().equals("node1")));
    assertThat(state.snapshot().assignments()).extracting(Assignment::node).containsOnly("node1");
  }
}
