package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.agent.AgentApi;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.runtime.FakeRuntime;
import dev.lain.store.Fence;
import dev.lain.store.LeaderElection;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lainctl node ...} and {@code cluster health} against an embedded store with fake nodes.
 */
class LainctlNodeTest {
  @TempDir Path dir;
  private Map<String, String> env;
  private Store store;
  private FakeRuntime runtime;
  private AgentApi agentApi;

  @BeforeEach
  void registerTwoNodes() throws IOException {
    env = Map.of("LAIN_STORE", "embedded:" + dir.resolve("store.db"));
    store = Stores.open(env.get("LAIN_STORE"));
    // node1's agent API, on a fake engine; node2 advertises a closed port.
    runtime = FakeRuntime.onSystemClock();
    agentApi = AgentApi.start("127.0.0.1", 0, "node1", runtime, store);
    DeploydState state = new DeploydState(store);
    state.registerNode(
        new NodeInfo(
            "node1",
            "127.0.0.1",
            22,
            new Resources(1L << 30, 2000),
            Map.of("group", "default"),
            agentApi.port()));
    state.registerNode(
        new NodeInfo(
            "node2",
            "127.0.0.2",
            2222,
            new Resources(1L << 30, 2000),
            Map.of("group", "default"),
            1));
    // Only node1 heartbeats.
    state.heartbeat("node1", "127.0.0.1", store.grantLease(Duration.ofSeconds(60)).id());
    PodGroupSpec spec =
        new PodGroupSpec(
            "hello.web.web",
            "hello",
            1,
            ContainerSpec.of("hello:v1").withMemoryBytes(64L << 20),
            1,
            RestartPolicy.ALWAYS,
            List.of(NodeConstraint.DEFAULT_GROUP),
            false,
            new HealthCheck.None(),
            Duration.ZERO,
            Duration.ofSeconds(1));
    state.applyAssignments(
        List.of(
            new Assignment(
                new InstanceId("hello.web.web", 1, 1, 0),
                "node1",
                spec,
                TargetState.RUN,
                0,
                Instant.EPOCH)),
        List.of());
  }

  @AfterEach
  void close() throws IOException {
    store.close();
    agentApi.close();
    runtime.close();
  }

  @Test
  void listShowsEachNodeWithItsModeHeartbeatAndInstances() throws Exception {
    CliRun run = CliRun.lainctl(env, "node", "list");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "NAME   IP         SSH PORT  LABELS         MODE    ALIVE  INSTANCES",
            "node1  127.0.0.1  22        group=default  active  yes    1",
            "node2  127.0.0.2  2222      group=default  active  no     0");
    JsonNode json =
        DeploydJson.mapper().readTree(CliRun.lainctl(env, "node", "list", "-o", "json").out());
    assertThat(json).hasSize(2);
    assertThat(json.get(0).get("name").asText()).isEqualTo("node1");
    assertThat(json.get(0).get("instances").asInt()).isEqualTo(1);
  }

  @Test
  void inspectFindsANodeByNameOrIpAndShowsItsAssignments() throws Exception {
    CliRun run = CliRun.lainctl(env, "node", "inspect", "127.0.0.1");
    assertThat(run.exitCode()).isZero();
    JsonNode json = DeploydJson.mapper().readTree(run.out());
    assertThat(json.get("name").asText()).isEqualTo("node1");
    assertThat(json.get("key").asText()).isEqualTo("node1:127.0.0.1:22");
    assertThat(json.get("alive").asBoolean()).isTrue();
    assertThat(json.get("assignments").get(0).asText()).startsWith("hello.web.web");
  }

  @Test
  void anUnknownNodeIsAnErrorNamingTheKnownOnes() {
    for (String[] args :
        List.of(
            new String[] {"node", "inspect", "node9"},
            new String[] {"node", "maintain", "node9"},
            new String[] {"node", "drain", "node9"},
            new String[] {"node", "change-labels", "-c", "add", "-l", "ssd=yes", "node9"})) {
      CliRun run = CliRun.lainctl(env, args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.FAILED);
      assertThat(run.err()).contains("no node node9; known nodes: node1, node2");
    }
  }

  @Test
  void maintainDrainAndBackToActiveGoThroughTheStore() {
    assertThat(CliRun.lainctl(env, "node", "maintain", "node1").exitCode()).isZero();
    assertThat(new DeploydState(store).snapshot().modeOf("node1")).isEqualTo(NodeMode.MAINTENANCE);
    assertThat(CliRun.lainctl(env, "node", "list").out()).contains("maintenance");

    CliRun drain = CliRun.lainctl(env, "node", "drain", "node1");
    assertThat(drain.exitCode()).isZero();
    assertThat(drain.out()).contains("node node1: draining");
    assertThat(new DeploydState(store).snapshot().modeOf("node1")).isEqualTo(NodeMode.DRAINING);

    assertThat(CliRun.lainctl(env, "node", "maintain", "node1", "-r").exitCode()).isZero();
    assertThat(new DeploydState(store).snapshot().modeOf("node1")).isEqualTo(NodeMode.ACTIVE);
  }

  @Test
  void changeLabelsAddsAndDeletesOnSeveralNodes() {
    CliRun add =
        CliRun.lainctl(
            env,
            "node",
            "change-labels",
            "-c",
            "add",
            "-l",
            "ssd=yes",
            "-l",
            "zone=a",
            "node1",
            "node2");
    assertThat(add.exitCode()).isZero();
    assertThat(new DeploydState(store).nodes().get("node2").labels())
        .containsEntry("ssd", "yes")
        .containsEntry("zone", "a")
        .containsEntry("group", "default");
    CliRun delete =
        CliRun.lainctl(env, "node", "change-labels", "-c", "delete", "-l", "ssd", "node2");
    assertThat(delete.exitCode()).isZero();
    assertThat(new DeploydState(store).nodes().get("node2").labels()).doesNotContainKey("ssd");
    assertThat(new DeploydState(store).nodes().get("node1").labels()).containsEntry("ssd", "yes");
    // The key of the node stays LAIN's, with no stale copy.
    assertThat(store.list(DeploydKeys.NODES).entries()).hasSize(2);

    CliRun bad = CliRun.lainctl(env, "node", "change-labels", "-c", "swap", "-l", "a=b", "node1");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("-c must be add or delete");
  }

  @Test
  void healthFailsForANodeWithoutHeartbeatOrReachableAgent() {
    CliRun run = CliRun.lainctl(env, "node", "health");
    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out()).containsPattern("node1 +live +reachable .* ok \\(fake-1.0\\)");
    assertThat(run.out())
        .containsPattern("node2 +missing \\(lease expired\\) +unreachable .* agent unreachable");
  }

  /** node2, registered by an agent from before agents served an API. */
  private void registerNodeWithoutAgentApi() {
    store.put(
        DeploydKeys.NODES + "node2:127.0.0.2:2222",
        DeploydJson.write(
            new NodeInfo(
                "node2",
                "127.0.0.2",
                2222,
                new Resources(1L << 30, 2000),
                Map.of(),
                NodeInfo.NO_AGENT_API)));
  }

  @Test
  void healthShowsADockerEngineTheAgentCannotReach() {
    new DeploydState(store)
        .heartbeat("node2", "127.0.0.2", store.grantLease(Duration.ofSeconds(60)).id());
    registerNodeWithoutAgentApi();
    assertThat(CliRun.lainctl(env, "node", "health").exitCode()).isZero();

    runtime.setAvailable(false);

    CliRun run = CliRun.lainctl(env, "node", "health");
    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out())
        .containsPattern(
            "node1 +live +reachable .* unreachable \\(the node's container engine cannot be"
                + " reached\\)")
        .containsPattern("node2 +live +none .* not reported \\(no agent API\\)");
  }

  @Test
  void clusterHealthReportsStoreLeaderNodesRoutersAndRegistry() {
    store.put(DeploydKeys.router("node1"), DeploydJson.write(RouterStatus.initial("node1")));
    CliRun run = CliRun.lainctl(env, "cluster", "health");
    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.out())
        .contains("ok    store: embedded")
        .contains("FAIL  deployd leader: none")
        .contains("ok    node node1: heartbeat live, agent API reachable")
        .contains("FAIL  node node2: heartbeat missing")
        .contains("ok    webrouter node1")
        .contains("-     registry: none published");
  }

  @Test
  void clusterHealthIsOkWhenEverythingIs() {
    new DeploydState(store)
        .heartbeat("node2", "127.0.0.2", store.grantLease(Duration.ofSeconds(60)).id());
    // Campaigning as a master does: the candidates' keys sit under the election's name.
    LeaderElection election =
        LeaderElection.start(
            store,
            DeploydKeys.LEADER,
            "master-1",
            Duration.ofSeconds(30),
            new LeaderElection.Listener() {
              @Override
              public void elected(Fence fence) {}

              @Override
              public void revoked() {}
            });
    await().atMost(Duration.ofSeconds(5)).until(election::isLeader);
    registerNodeWithoutAgentApi();
    CliRun run = CliRun.lainctl(env, "cluster", "health");
    election.close();
    assertThat(run.out())
        .doesNotContain("FAIL")
        .contains("ok    deployd leader: master-1")
        .contains("agent API none");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void nodeAddRefusesABadNameIp() {
    CliRun run =
        CliRun.lainctl(env, "node", "add", "--key", dir.resolve("key/id").toString(), "node3");
    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err()).contains("'node3' is not NAME:IP");
  }

  @Test
  void nodeAddRefusesForceDeviceWithoutADockerDevice() {
    CliRun run =
        CliRun.lainctl(
            env,
            "node",
            "add",
            "--key",
            dir.resolve("key/id").toString(),
            "--force-device",
            "node3:10.0.0.3");
    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err())
        .contains("--force-device only applies to --docker-device, which is not given");
  }

  @Test
  void nodeRemoveRefusesAnUnknownNode() {
    CliRun run =
        CliRun.lainctl(env, "node", "remove", "--key", dir.resolve("key/id").toString(), "node9");
    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err()).contains("no node node9; known nodes: node1, node2");
  }
}
