package dev.lain.records.deployd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.DriftRequest;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.Instances;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeploydStateTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  final Store store = new MemoryStore();
  final DeploydState state = new DeploydState(store);

  @AfterEach
  void close() {
    store.close();
  }

  static PodGroupSpec spec(String name) {
    String app = PodGroupNames.appOf(name);
    ContainerSpec c =
        new ContainerSpec(
            "registry/x:1",
            Optional.of(List.of()),
            List.of("run"),
            List.of("A=1"),
            "",
            "/app",
            8080,
            List.of("/data"),
            Map.of("k", "v"),
            64L << 20,
            3);
    return new PodGroupSpec(
        name,
        app,
        2,
        c,
        3,
        RestartPolicy.ON_FAILURE,
        List.of(NodeConstraint.DEFAULT_GROUP),
        true,
        new HealthCheck.Http("/h", Duration.ofSeconds(3), Duration.ofSeconds(1), 2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(20));
  }

  @Test
  void everyRecordSurvivesTheJsonRoundTripExactly() {
    PodGroupSpec spec = spec("hello.web.web");
    Assignment assignment =
        new Assignment(new InstanceId(spec.name(), 1, 2, 0), "node1", spec, TargetState.STOP, 4, T);
    InstanceStatus status =
        new InstanceStatus(
            assignment.id(),
            "node1",
            "127.0.1.1",
            "172.20.3.7",
            8080,
            20001,
            RunState.RUNNING,
            Health.HEALTHY,
            2,
            true,
            137,
            "oom",
            T);
    PodGroupRecord record =
        PodGroupRecord.deployed(spec)
            .withInstanceTarget(2, TargetState.STOP)
            .restarted(Instances.one(1))
            .withDrift(3, new DriftRequest(Optional.of("node2"), true));
    NodeInfo node =
        new NodeInfo(
            "node1", "127.0.1.1", 22, new Resources(1L << 30, 2000), Map.of("group", "default"));
    for (Object value :
        List.of(spec, assignment, status, record, node, new PodGroupCondition("running", "", T))) {
      assertThat(DeploydJson.read(DeploydJson.write(value), value.getClass())).isEqualTo(value);
    }
    assertThat(DeploydJson.write(new HealthCheck.None())).isEqualTo("{\"type\":\"none\"}");
  }

  @Test
  void nodeInfoKeepsItsAgentPortThroughJson() {
    NodeInfo node =
        new NodeInfo(
            "node1",
            "127.0.1.1",
            22,
            new Resources(1L << 30, 2000),
            Map.of("group", "default"),
            9005);

    String json = DeploydJson.write(node);

    assertThat(json).contains("\"agentPort\":9005");
    assertThat(DeploydJson.read(json, NodeInfo.class)).isEqualTo(node);
    assertThat(DeploydJson.read(json, NodeInfo.class).hasAgentApi()).isTrue();
  }

  @Test
  void nodeInfoWrittenBeforeAgentPortsExistedReadsAsServingNoApi() {
    // As agents registered before the agent API: no agentPort at all.
    String older =
        "{\"name\":\"node1\",\"ip\":\"127.0.1.1\",\"sshPort\":22,"
            + "\"capacity\":{\"memoryBytes\":1073741824,\"cpuMillis\":2000},"
            + "\"labels\":{\"group\":\"default\"}}";

    NodeInfo node = DeploydJson.read(older, NodeInfo.class);

    assertThat(node)
        .isEqualTo(
            new NodeInfo(
                "node1",
                "127.0.1.1",
                22,
                new Resources(1L << 30, 2000),
                Map.of("group", "default")));
    assertThat(node.agentPort()).isEqualTo(NodeInfo.NO_AGENT_API);
    assertThat(node.hasAgentApi()).isFalse();
  }

  @Test
  void instanceReportsWrittenBeforeTheContainerNetworkReadAsReachedThroughTheirHostPort() {
    String older =
        "{\"id\":{\"podGroup\":\"hello.web.web\",\"version\":1,\"instance\":1,\"drift\":0},"
            + "\"node\":\"node1\",\"nodeIp\":\"127.0.1.1\",\"hostPort\":20001,"
            + "\"state\":\"RUNNING\",\"health\":\"NONE\",\"restarts\":0,\"oomKilled\":false,"
            + "\"exitCode\":0,\"error\":\"\",\"since\":\"2026-01-01T00:00:00Z\"}";

    InstanceStatus status = DeploydJson.read(older, InstanceStatus.class);

    assertThat(status.address()).isEmpty();
    assertThat(status.endpoint()).contains(new InstanceStatus.Endpoint("127.0.1.1", 20001));
  }

  @Test
  void registeredNodesCarryTheirAgentPort() {
    state.registerNode(
        new NodeInfo("node1", "127.0.1.1", 22, new Resources(1, 1), Map.of()).withAgentPort(9005));

    assertThat(state.nodes().get("node1").agentPort()).isEqualTo(9005);
    assertThat(state.snapshot().nodes().get("node1").agentPort()).isEqualTo(9005);
  }

  @Test
  void appNamesMayContainDots() {
    assertThat(PodGroupNames.appOf("hello.web.web")).isEqualTo("hello");
    assertThat(PodGroupNames.appOf("resource.redis.myapp.worker.redis"))
        .isEqualTo("resource.redis.myapp");
    assertThatThrownBy(() -> PodGroupNames.appOf("nodots"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DeploydKeys.podGroup("hello.web.web"))
        .isEqualTo("/lain/deployd/pod_groups/hello/hello.web.web");
  }

  @Test
  void aNodesKeyIsTheSameBeforeAndAfterItsAgentRegisteredIt() {
    NodeInfo node = new NodeInfo("node1", "192.168.77.21", 22, new Resources(1, 1), Map.of());
    state.registerNode(node);

    assertThat(DeploydKeys.node("node1", "192.168.77.21", 22))
        .isEqualTo(DeploydKeys.node(node))
        .isEqualTo("/lain/nodes/nodes/node1:192.168.77.21:22");
    assertThat(store.get(DeploydKeys.node("node1", "192.168.77.21", 22))).isPresent();
  }

  @Test
  void podGroupsAreCreatedOnceAndChangedWithCompareAndSet() {
    PodGroupRecord record = PodGroupRecord.deployed(spec("hello.web.web"));
    assertThat(state.createPodGroup(record)).isTrue();
    assertThat(state.createPodGroup(record)).isFalse();
    Versioned<PodGroupRecord> current = state.podGroup("hello.web.web").orElseThrow();
    assertThat(state.updatePodGroup(record.withTarget(TargetState.STOP), current.modRevision()))
        .isTrue();
    assertThat(state.updatePodGroup(record, current.modRevision())).isFalse();
    assertThat(state.updatePodGroup("hello.web.web", r -> r.withTarget(TargetState.RUN)))
        .isPresent();
    assertThat(state.podGroup("hello.web.web").orElseThrow().value().target())
        .isEqualTo(TargetState.RUN);
    assertThat(state.removePodGroup("hello.web.web")).isTrue();
    assertThat(state.removePodGroup("hello.web.web")).isFalse();
  }

  @Test
  void theSnapshotHoldsEveryKindOfRecordAndFlagsUnreadableOnes() {
    PodGroupSpec spec = spec("hello.web.web");
    state.createPodGroup(PodGroupRecord.deployed(spec));
    Assignment a =
        new Assignment(new InstanceId(spec.name(), 1, 2, 0), "node1", spec, TargetState.RUN, 0, T);
    state.applyAssignments(List.of(a), List.of());
    state.registerNode(
        new NodeInfo("node1", "127.0.1.1", 22, new Resources(1L << 30, 2000), Map.of()));
    state.heartbeat("node1", "127.0.1.1", store.grantLease(Duration.ofSeconds(30)).id());
    state.setNodeMode("node1", NodeMode.DRAINING);
    store.put("/lain/deployd/assignments/node1/garbage", "{not json");

    DeploydSnapshot snapshot = state.snapshot();

    assertThat(snapshot.podGroups()).containsKey("hello.web.web");
    assertThat(snapshot.assignments()).containsExactly(a);
    assertThat(snapshot.nodes()).containsKey("node1");
    assertThat(snapshot.alive()).containsExactly("node1");
    assertThat(snapshot.modeOf("node1")).isEqualTo(NodeMode.DRAINING);
    assertThat(snapshot.unreadable()).containsKey("/lain/deployd/assignments/node1/garbage");
  }

  @Test
  void reRegisteringANodeUnderANewIpDropsItsOldKey() {
    state.registerNode(new NodeInfo("node1", "127.0.1.1", 22, new Resources(1, 1), Map.of()));
    state.registerNode(new NodeInfo("node1", "127.0.1.9", 22, new Resources(1, 1), Map.of()));
    assertThat(store.list(DeploydKeys.NODES).entries())
        .extracting(kv -> kv.key())
        .containsExactly("/lain/nodes/nodes/node1:127.0.1.9:22");
  }

  @Test
  void largeBatchesAreSplitIntoTransactionsTheBackendAccepts() {
    PodGroupSpec spec = spec("hello.web.web");
    List<Assignment> many =
        IntStream.rangeClosed(1, 25_000)
            .mapToObj(
                i ->
                    new Assignment(
                        new InstanceId(spec.name(), i, 2, 0), "node1", spec, TargetState.RUN, 0, T))
            .toList();
    long before = store.revision();
    state.applyAssignments(many, List.of());
    assertThat(state.assignmentsOf("node1")).hasSize(25_000);
    assertThat(store.revision() - before).isEqualTo(3);
  }

  @Test
  void theCacheFollowsChangesAndMatchesAFreshSnapshot() throws Exception {
    AtomicInteger changes = new AtomicInteger();
    try (DeploydCache cache = DeploydCache.start(store, changes::incrementAndGet)) {
      PodGroupSpec spec = spec("hello.web.web");
      state.createPodGroup(PodGroupRecord.deployed(spec));
      state.applyAssignments(
          List.of(
              new Assignment(
                  new InstanceId(spec.name(), 1, 2, 0), "node1", spec, TargetState.RUN, 0, T)),
          List.of());
      state.setCondition(spec.name(), new PodGroupCondition("deploying", "", T));
      long revision = store.revision();

      assertThat(cache.awaitRevision(revision, Duration.ofSeconds(5))).isTrue();
      DeploydSnapshot cached = cache.snapshot();
      DeploydSnapshot fresh = state.snapshot();
      assertThat(cached.podGroups()).isEqualTo(fresh.podGroups());
      assertThat(cached.assignments()).isEqualTo(fresh.assignments());
      assertThat(cached.conditions()).isEqualTo(fresh.conditions());

      state.removePodGroup(spec.name());
      await().atMost(Duration.ofSeconds(5)).until(() -> cache.snapshot().podGroups().isEmpty());
      assertThat(changes.get()).isPositive();
    }
  }

  @Test
  void theCacheReadsEverythingAgainAfterACompaction() throws Exception {
    try (DeploydCache cache = DeploydCache.start(store, () -> {})) {
      PodGroupSpec spec = spec("hello.web.web");
      state.createPodGroup(PodGroupRecord.deployed(spec));
      assertThat(cache.awaitRevision(store.revision(), Duration.ofSeconds(5))).isTrue();
    }
    // A cache started behind compacted history still comes up with the current state.
    state.createPodGroup(PodGroupRecord.deployed(spec("other.web.web")));
    store.compact(store.revision());
    try (DeploydCache cache = DeploydCache.start(store, () -> {})) {
      assertThat(cache.snapshot().podGroups()).containsKeys("hello.web.web", "other.web.web");
    }
  }

  @Test
  void aPodGroupCreatedAgainAfterItsRemovalNumbersItsVersionsOn() {
    PodGroupSpec spec = spec("hello.web.web");
    assertThat(state.createPodGroup(PodGroupRecord.deployed(spec.withVersion(1)))).isTrue();
    assertThat(state.createPodGroup(PodGroupRecord.deployed(spec.withVersion(1))))
        .as("it exists")
        .isFalse();
    state.updatePodGroup(
        "hello.web.web", r -> r.upgradedTo(r.spec().withVersion(r.spec().version() + 1)));

    assertThat(state.removePodGroup("hello.web.web")).isTrue();
    assertThat(state.removePodGroup("hello.web.web")).isFalse();
    assertThat(state.createPodGroup(PodGroupRecord.deployed(spec.withVersion(1)))).isTrue();

    // Its old containers (…v2-i1-d0) may still be stopping: the new ones are named v3.
    assertThat(state.snapshot().podGroups().get("hello.web.web").value().spec().version())
        .isEqualTo(3);
  }
}
