package dev.lain.deployd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.agent.AgentConfig;
import dev.lain.agent.NodeAgent;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.WebSettings;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.runtime.FakeRuntime;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The deployd API over HTTP on loopback, against a master, one agent and the fake runtime. */
class DeploydApiTest {
  static final String WEB = "hello.web.web";

  @TempDir Path dataRoot;
  Store store;
  FakeRuntime runtime;
  Master master;
  NodeAgent agent;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = new MemoryStore();
    runtime = FakeRuntime.onSystemClock();
    runtime.addImage("registry/hello:v1").addImage("registry/hello:v2");
    MasterConfig config =
        new MasterConfig(
            "127.0.0.1",
            0,
            "test-master",
            new EngineSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), 3),
            Duration.ofMillis(200),
            Duration.ofSeconds(2));
    master = Master.start(store, config, InstantSource.system());
    NodeInfo node =
        new NodeInfo(
            "node1", "127.0.1.1", 22, new Resources(1L << 30, 4000), Map.of("group", "default"));
    agent =
        NodeAgent.start(
            AgentConfig.defaults(node, dataRoot)
                .withTimings(
                    Duration.ofSeconds(2),
                    Duration.ofMillis(200),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1)),
            store,
            runtime,
            InstantSource.system());
    await().atMost(Duration.ofSeconds(10)).until(master::leading);
  }

  @AfterEach
  void stop() {
    agent.close();
    master.close();
    runtime.close();
    store.close();
  }

  record Reply(int status, JsonNode body) {}

  private Reply call(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), DeploydJson.mapper().readTree(response.body()));
  }

  private static String spec(int instances, String image) {
    ContainerSpec container = ContainerSpec.of(image).withPort(8080).withMemoryBytes(64L << 20);
    return DeploydJson.write(
        new PodGroupSpec(
            WEB,
            "hello",
            1,
            container,
            instances,
            RestartPolicy.ALWAYS,
            List.of(NodeConstraint.DEFAULT_GROUP),
            false,
            new HealthCheck.None(),
            Duration.ZERO,
            Duration.ofSeconds(1)));
  }

  @Test
  void aDeployIsAcceptedAndThePodGroupShowsItsRunningInstances() throws Exception {
    Reply created = call("POST", "/api/podgroups", spec(2, "registry/hello:v1"));
    assertThat(created.status()).isEqualTo(202);
    assertThat(created.body().get("check_url").asText())
        .isEqualTo("/api/podgroups?name=hello.web.web");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode pg = call("GET", "/api/podgroups?name=" + WEB, null).body();
              return pg.get("instances").size() == 2
                  && pg.get("instances")
                      .findValuesAsText("state")
                      .equals(List.of("running", "running"))
                  && pg.get("condition").get("phase").asText().equals("running");
            });
    JsonNode pg = call("GET", "/api/podgroups?name=" + WEB, null).body();
    assertThat(pg.get("instances").get(0).get("container").asText())
        .isEqualTo("hello.web.web.v1-i1-d0");
    assertThat(pg.get("instances").get(0).get("nodeIp").asText()).isEqualTo("127.0.1.1");
    assertThat(pg.get("instances").get(0).get("hostPort").asInt()).isBetween(20000, 29999);
  }

  @Test
  void scaleUpgradeOperationsAndRemoveAreAccepted() throws Exception {
    call("POST", "/api/podgroups", spec(1, "registry/hello:v1"));
    assertThat(
            call("PATCH", "/api/podgroups?name=" + WEB + "&cmd=replica&num_instances=3", null)
                .status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                call("GET", "/api/podgroups?name=" + WEB, null).body().get("instances").size()
                    == 3);

    assertThat(
            call("PATCH", "/api/podgroups?name=" + WEB + "&cmd=spec", spec(1, "registry/hello:v2"))
                .status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              JsonNode pg = call("GET", "/api/podgroups?name=" + WEB, null).body();
              return pg.get("desired").get("spec").get("version").asInt() == 2
                  && pg.get("instances").size() == 3
                  && pg.get("instances").findValuesAsText("container").stream()
                      .allMatch(c -> c.contains(".v2-"));
            });

    assertThat(
            call(
                    "PATCH",
                    "/api/podgroups?name=" + WEB + "&cmd=operation&optype=stop&instance=2",
                    null)
                .status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                call("GET", "/api/podgroups?name=" + WEB, null)
                    .body()
                    .get("instances")
                    .get(1)
                    .get("state")
                    .asText()
                    .equals("stopped"));

    assertThat(call("DELETE", "/api/podgroups?name=" + WEB, null).status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.list(Map.of()).isEmpty());
    assertThat(call("GET", "/api/podgroups?name=" + WEB, null).status()).isEqualTo(404);
  }

  @Test
  void mountpointsThatAreNotHostsAndPathsAreRefusedAtDeployAndUpgrade() throws Exception {
    PodGroupSpec spec = DeploydJson.read(spec(1, "registry/hello:v1"), PodGroupSpec.class);
    String evil = "evil.com;}server{listen 1;";
    Reply refused =
        call(
            "POST",
            "/api/podgroups",
            DeploydJson.write(spec.withWeb(WebSettings.ofText(List.of(evil), true, false))));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("message").asText()).contains(WEB).contains("evil.com");
    assertThat(call("GET", "/api/podgroups?name=" + WEB, null).status()).isEqualTo(404);

    WebSettings fine = WebSettings.ofText(List.of("hello.example.com/api"), true, false);
    assertThat(call("POST", "/api/podgroups", DeploydJson.write(spec.withWeb(fine))).status())
        .isEqualTo(202);
    Reply upgrade =
        call(
            "PATCH",
            "/api/podgroups?cmd=spec&name=" + WEB,
            DeploydJson.write(spec.withWeb(WebSettings.ofText(List.of("/a b"), true, false))));
    assertThat(upgrade.status()).isEqualTo(400);
    assertThat(
            DeploydJson.read(
                    call("GET", "/api/podgroups?name=" + WEB, null)
                        .body()
                        .get("desired")
                        .get("spec")
                        .toString(),
                    PodGroupSpec.class)
                .web())
        .contains(fine);
  }

  @Test
  void routersReportsAreVisible() throws Exception {
    assertThat(call("GET", "/api/routers", null).body()).isEmpty();
    RouterStatus report =
        new RouterStatus("router-b", 42, Instant.parse("2026-11-26T10:00:00Z"), 3, "", 5, 1, 120);
    store.put(DeploydKeys.router("router-b"), DeploydJson.write(report));
    store.put(DeploydKeys.router("router-a"), DeploydJson.write(RouterStatus.initial("router-a")));

    JsonNode routers = call("GET", "/api/routers", null).body();
    assertThat(routers).hasSize(2);
    assertThat(routers.get(0).get("name").asText()).isEqualTo("router-a");
    JsonNode b = routers.get(1);
    assertThat(b.get("appliedRevision").asLong()).isEqualTo(42);
    assertThat(b.get("appliedAt").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(b.get("effectiveMillis").asLong()).isEqualTo(120);
    assertThat(DeploydJson.read(b.toString(), RouterStatus.class)).isEqualTo(report);
  }

  @Test
  void nodesAndEngineStatusAreVisible() throws Exception {
    JsonNode nodes = call("GET", "/api/nodes", null).body();
    assertThat(nodes.get(0).get("name").asText()).isEqualTo("node1");
    assertThat(nodes.get(0).get("alive").asBoolean()).isTrue();
    assertThat(call("PATCH", "/api/nodes?node=node1&cmd=maintain", null).status()).isEqualTo(202);
    assertThat(call("GET", "/api/nodes", null).body().get(0).get("mode").asText())
        .isEqualTo("MAINTENANCE");

    JsonNode constraints = call("GET", "/api/constraints?type=node", null).body();
    assertThat(constraints.get(0).get("value").asText()).isEqualTo("node1");
    assertThat(call("DELETE", "/api/constraints?type=node&value=node1", null).status())
        .isEqualTo(202);
    assertThat(call("GET", "/api/constraints", null).body()).isEmpty();
    assertThat(call("PATCH", "/api/constraints?type=app&value=x", null).status()).isEqualTo(400);

    JsonNode status = call("GET", "/api/status", null).body();
    assertThat(status.get("passes").asLong()).isPositive();
    assertThat(call("PATCH", "/api/status", "{\"status\":\"stop\"}").status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> call("GET", "/api/status", null).body().get("paused").asBoolean());
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("POST", "/api/podgroups", "not json", 400, "not a valid PodGroupSpec"),
        Arguments.of(
            "POST", "/api/podgroups", "{\"name\":\"bad name\"}", 400, "not a valid PodGroupSpec"),
        Arguments.of(
            "GET", "/api/podgroups?name=nope.web.web", null, 404, "no pod group nope.web.web"),
        Arguments.of("DELETE", "/api/podgroups", null, 400, "query parameter 'name' is required"),
        Arguments.of(
            "PATCH",
            "/api/podgroups?name=hello.web.web&cmd=replica&num_instances=x",
            null,
            400,
            "must be a whole number"),
        Arguments.of(
            "PATCH", "/api/podgroups?name=hello.web.web&cmd=fly", null, 400, "unknown cmd 'fly'"),
        Arguments.of(
            "PATCH",
            "/api/podgroups?name=nope.web.web&cmd=replica&num_instances=1",
            null,
            404,
            "no pod group"),
        Arguments.of("PATCH", "/api/nodes?cmd=maintain&node=ghost", null, 404, "no node ghost"),
        Arguments.of("PATCH", "/api/status", "{\"status\":\"maybe\"}", 400, "body must be"));
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @MethodSource("badRequests")
  void badRequestsGetAClearErrorAndNoStackTrace(
      String method, String path, String body, int status, String message) throws Exception {
    Reply reply = call(method, path, body);
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.body().get("message").asText())
        .contains(message)
        .doesNotContain("at dev.lain");
  }

  @Test
  void deployingTheSamePodGroupTwiceIsAConflict() throws Exception {
    call("POST", "/api/podgroups", spec(1, "registry/hello:v1"));
    Reply again = call("POST", "/api/podgroups", spec(1, "registry/hello:v1"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("message").asText()).contains("exists already");
  }
}
