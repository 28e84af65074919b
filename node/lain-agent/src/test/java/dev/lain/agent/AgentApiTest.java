package dev.lain.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.nodes.AgentToken;
import dev.lain.runtime.FakeRuntime;
import dev.lain.runtime.LogOptions;
import dev.lain.runtime.RequestBuilder;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The agent API over loopback: an agent on a node IP of its own (127.0.1.x), serving the logs of
 * the instances it runs on a fake runtime. After every test, nothing logged holds the token.
 */
@Timeout(60)
class AgentApiTest {
  private static final String POD_GROUP = "hello.web.web";
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @TempDir Path dataRoot;
  Store store;
  DeploydState state;
  FakeRuntime runtime;
  NodeAgent agent;
  NodeInfo node;
  AgentClient client;
  String token;
  ListAppender<ILoggingEvent> logged;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    logged = new ListAppender<>();
    logged.start();
    root().addAppender(logged);
    store = new MemoryStore();
    state = new DeploydState(store);
    runtime = FakeRuntime.onSystemClock();
    runtime.addImage("app:1");
    String ip = "127.0.1." + ThreadLocalRandom.current().nextInt(2, 250);
    NodeInfo configured =
        new NodeInfo("node1", ip, 22, new Resources(1L << 30, 2000), Map.of("group", "default"));
    AgentConfig config =
        AgentConfig.defaults(configured, dataRoot)
            .withTimings(
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30))
            .withApiPort(0);
    agent = NodeAgent.start(config, store, runtime, InstantSource.system());
    node = agent.registeredNode();
    client = new AgentClient(store);
    token = AgentToken.getOrCreate(store);
  }

  @AfterEach
  void stopAndCheckTheLog() {
    try {
      agent.close();
      runtime.close();
      store.close();
    } finally {
      root().detachAppender(logged);
    }
    for (ILoggingEvent event : logged.list) {
      String text =
          event.getFormattedMessage()
              + (event.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      assertThat(text).as("logged by %s", event.getLoggerName()).doesNotContain(token);
    }
    assertThat(logged.list).as("the test captured the agent's log").isNotEmpty();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Assigns the instance, waits until it runs, and returns its container's id. */
  private String runInstance() {
    PodGroupSpec spec =
        new PodGroupSpec(
            POD_GROUP,
            "hello",
            1,
            ContainerSpec.of("app:1").withPort(8080),
            1,
            RestartPolicy.NEVER,
            List.of(),
            false,
            new HealthCheck.None(),
            Duration.ZERO,
            Duration.ofSeconds(1));
    Assignment a =
        new Assignment(
            new InstanceId(POD_GROUP, 1, 1, 0), "node1", spec, TargetState.RUN, 0, Instant.EPOCH);
    state.applyAssignments(List.of(a), List.of());
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                state.instancesOf("node1").stream()
                    .map(InstanceStatus::state)
                    .toList()
                    .equals(List.of(RunState.RUNNING)));
    return runtime.inspect(containerName()).orElseThrow().id();
  }

  private static String containerName() {
    return new InstanceId(POD_GROUP, 1, 1, 0).containerName();
  }

  private static String read(InputStream stream) throws IOException {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private HttpResponse<String> get(String path, Optional<String> withToken) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + node.ip() + ":" + node.agentPort() + path));
    withToken.ifPresent(t -> request.header(AgentToken.HEADER, t));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static AgentException.Code code(Throwable e) {
    return ((AgentException) e).code();
  }

  // ---- health -----------------------------------------------------------------------------------

  @Test
  void healthSaysTheEngineIsOkWithItsVersion() throws Exception {
    AgentHealth health = client.health(node);

    assertThat(health).isEqualTo(new AgentHealth("node1", true, FakeRuntime.VERSION, ""));
    assertThat(health.docker()).isEqualTo("ok");
    assertThat(get("/api/health", Optional.of(token)).body())
        .isEqualTo(
            "{\"node\":\"node1\",\"docker\":\"ok\",\"docker_version\":\""
                + FakeRuntime.VERSION
                + "\",\"detail\":\"\"}");
  }

  @Test
  void healthSaysAnUnavailableEngineIsUnreachable() throws Exception {
    runtime.setAvailable(false);

    AgentHealth health = client.health(node);

    assertThat(health.dockerReachable()).isFalse();
    assertThat(health.docker()).isEqualTo("unreachable");
    assertThat(health.dockerVersion()).isEmpty();
    assertThat(health.detail()).isEqualTo("the node's container engine cannot be reached");
    HttpResponse<String> response = get("/api/health", Optional.of(token));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"docker\":\"unreachable\"");

    runtime.setAvailable(true);
    assertThat(client.health(node).docker()).isEqualTo("ok");
  }

  @Test
  void healthWithoutTheTokenIs401() throws Exception {
    for (Optional<String> wrong : List.of(Optional.<String>empty(), Optional.of("0".repeat(64)))) {
      HttpResponse<String> response = get("/api/health", wrong);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("\"code\":\"unauthorized\"").doesNotContain("docker");
    }
    try (Store other = new MemoryStore()) {
      assertThatThrownBy(() -> new AgentClient(other).health(node))
          .satisfies(e -> assertThat(code(e)).isEqualTo(AgentException.Code.UNAUTHORIZED));
    }
  }

  // ---- registration -----------------------------------------------------------------------------

  @Test
  void theNodeIsRegisteredWithThePortItsApiListensOn() {
    await().atMost(PATIENCE).until(() -> state.nodes().containsKey("node1"));

    assertThat(node.agentPort()).isPositive();
    assertThat(state.nodes().get("node1").agentPort()).isEqualTo(node.agentPort());
    assertThat(state.nodes().get("node1").ip()).isEqualTo(node.ip());
  }

  // ---- logs -------------------------------------------------------------------------------------

  @Test
  void logsOfAnInstanceComeThroughAsTextLines() throws Exception {
    String id = runInstance();
    runtime.print(id, "one");
    runtime.printError(id, "two");
    runtime.print(id, "three");

    assertThat(read(client.logs(node, containerName(), false, LogOptions.ALL_LINES)))
        .isEqualTo("one\ntwo\nthree\n");
    assertThat(read(client.logs(node, containerName(), false, 2))).isEqualTo("two\nthree\n");

    HttpResponse<String> raw =
        get("/api/containers/" + containerName() + "/logs?tail=1", Optional.of(token));
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(raw.body()).isEqualTo("three\n");
  }

  @Test
  void followPassesOnNewLinesUntilTheContainerStops() throws Exception {
    String id = runInstance();
    runtime.print(id, "before");

    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(
                client.logs(node, containerName(), true, LogOptions.ALL_LINES),
                StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("before");
      runtime.print(id, "after");
      assertThat(lines.readLine()).isEqualTo("after");
      runtime.printError(id, "on stderr");
      assertThat(lines.readLine()).isEqualTo("on stderr");

      runtime.stop(id, 1);

      assertThat(lines.readLine()).isNull();
    }
  }

  @Test
  void aFollowerWhoseClientLeftIsEndedAtTheNextLine() throws Exception {
    String id = runInstance();
    runtime.print(id, "first");
    InputStream stream = client.logs(node, containerName(), true, LogOptions.ALL_LINES);
    assertThat(new String(stream.readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("first\n");
    assertThat(agent.apiFollowers()).isEqualTo(1);

    stream.close();

    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              runtime.print(id, "anyone there?");
              return agent.apiFollowers() == 0;
            });
  }

  @Test
  void aQuietFollowOutlastsTheClientTimeout() throws Exception {
    String id = runInstance();
    AgentClient impatient = new AgentClient(store, Duration.ofMillis(300));

    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(
                impatient.logs(node, containerName(), true, LogOptions.ALL_LINES),
                StandardCharsets.UTF_8))) {
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      runtime.print(id, "still here");
      assertThat(lines.readLine()).isEqualTo("still here");
    }
  }

  // ---- refusals ---------------------------------------------------------------------------------

  @Test
  void withoutTheTokenOrWithAnotherTheAnswerIs401() throws Exception {
    runInstance();
    String path = "/api/containers/" + containerName() + "/logs";

    HttpResponse<String> none = get(path, Optional.empty());
    HttpResponse<String> wrong = get(path, Optional.of("0".repeat(64)));
    HttpResponse<String> empty = get(path, Optional.of(""));

    for (HttpResponse<String> response : List.of(none, wrong, empty)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("\"code\":\"unauthorized\"").doesNotContain(token);
    }
    // Unknown containers too: without the token nothing tells what exists.
    assertThat(get("/api/containers/nothing/logs", Optional.empty()).statusCode()).isEqualTo(401);
  }

  @Test
  void aClientWithAnotherClustersTokenIsRefusedAsUnauthorized() {
    runInstance();
    try (Store other = new MemoryStore()) {
      AgentClient stranger = new AgentClient(other);

      assertThatThrownBy(() -> stranger.logs(node, containerName(), false, 10))
          .satisfies(e -> assertThat(code(e)).isEqualTo(AgentException.Code.UNAUTHORIZED))
          .hasMessageContaining("node1")
          .hasMessageContaining("401");
    }
  }

  @Test
  void unknownContainersAreNotFound() throws Exception {
    assertThatThrownBy(() -> client.logs(node, "no-such-container", false, 10))
        .satisfies(e -> assertThat(code(e)).isEqualTo(AgentException.Code.NOT_FOUND))
        .hasMessageContaining("no-such-container");

    HttpResponse<String> raw = get("/api/containers/nothing/logs", Optional.of(token));
    assertThat(raw.statusCode()).isEqualTo(404);
    assertThat(raw.body()).contains("\"code\":\"not_found\"").contains("\"message\":");
  }

  @Test
  void containersTheAgentDoesNotManageAreNotFound() {
    String unlabelled = "someone-elses";
    runtime.start(runtime.create(RequestBuilder.of("app:1").name(unlabelled).build()));
    String otherNode = new InstanceId("other.web.web", 1, 1, 0).containerName();
    runtime.start(
        runtime.create(
            RequestBuilder.of("app:1")
                .name(otherNode)
                .labels(
                    Map.of(
                        ContainerLabels.POD_GROUP, "other.web.web",
                        ContainerLabels.INSTANCE, "1",
                        ContainerLabels.VERSION, "1",
                        ContainerLabels.DRIFT, "0",
                        ContainerLabels.NODE, "node2"))
                .build()));
    String id = runInstance();

    for (String name : List.of(unlabelled, otherNode, id, id.substring(0, 12))) {
      assertThatThrownBy(() -> client.logs(node, name, false, 10))
          .as(name)
          .satisfies(e -> assertThat(code(e)).isEqualTo(AgentException.Code.NOT_FOUND));
    }
  }

  @Test
  void badOptionsAreInvalid() throws Exception {
    runInstance();
    String path = "/api/containers/" + containerName() + "/logs";

    assertThat(get(path + "?tail=-3", Optional.of(token)).statusCode()).isEqualTo(400);
    assertThat(get(path + "?tail=many", Optional.of(token)).statusCode()).isEqualTo(400);
    assertThat(get(path + "?follow=yes", Optional.of(token)).statusCode()).isEqualTo(400);
    assertThat(get(path + "?tail=all&follow=false", Optional.of(token)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aNodeWithoutApiOrWithNothingListeningIsUnreachable() throws IOException {
    NodeInfo older = node.withAgentPort(NodeInfo.NO_AGENT_API);
    assertThatThrownBy(() -> client.logs(older, containerName(), false, 10))
        .satisfies(e -> assertThat(code(e)).isEqualTo(AgentException.Code.UNREACHABLE))
        .hasMessageContaining("advertises no API");

    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(node.ip()))) {
      closedPort = probe.getLocalPort();
    }
    NodeInfo gone = node.withAgentPort(closedPort);
    assertThatThrownBy(() -> client.logs(gone, containerName(), false, 10))
        .satisfies(e -> assertThat(code(e)).isEqualTo(AgentException.Code.UNREACHABLE))
        .hasMessageContaining("cannot connect");
  }
}
