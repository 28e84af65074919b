package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.agent.AgentConfig;
import dev.lain.agent.NodeAgent;
import dev.lain.console.AppImages;
import dev.lain.console.Console;
import dev.lain.console.ConsoleServer;
import dev.lain.deployd.Engine;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import dev.lain.records.console.Users;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.FakeRuntime;
import dev.lain.runtime.ImageBehaviour;
import dev.lain.runtime.LogOptions;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Fence;
import dev.lain.store.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lain} verbs against an in-process master: the console API over loopback, deployd with
 * its engine, and a node agent on a fake container runtime. Versions "exist in the registry" when
 * the test publishes them.
 */
class LainWorkflowTest {
  static final String V1 = "1700000001-" + "a".repeat(40);
  static final String V2 = "1700000002-" + "b".repeat(40);
  static final String BROKEN = "1700000003-" + "c".repeat(40);
  static final String LAIN_YAML =
      """
      appname: hello
      build:
        base: lain/busybox
        script: [echo hi]
      web:
        cmd: httpd -f -p 8080
        port: 8080
        memory: 32m
      """;

  @TempDir Path home;
  @TempDir Path app;
  @TempDir Path dataRoot;

  MemoryStore store;
  FakeRuntime runtime;
  Engine engine;
  NodeAgent agent;
  ConsoleServer server;
  Users users;
  final Map<String, String> published = new ConcurrentHashMap<>();

  @BeforeEach
  void cluster() throws Exception {
    store = new MemoryStore();
    runtime = FakeRuntime.onSystemClock();
    engine =
        Engine.start(
            store,
            Fence.take(store, "/lain/deployd/leader/alone", "test"),
            () -> {},
            new EngineSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), 3),
            InstantSource.system(),
            Duration.ofMillis(100));
    NodeInfo node =
        new NodeInfo(
            "node1", "127.0.1.1", 22, new Resources(1L << 30, 4000), Map.of("group", "default"));
    agent =
        NodeAgent.start(
            AgentConfig.defaults(node, dataRoot)
                .withTimings(
                    Duration.ofSeconds(3),
                    Duration.ofMillis(100),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1)),
            store,
            runtime,
            InstantSource.system());
    AppImages images =
        new AppImages() {
          @Override
          public List<String> metaVersions(String name) {
            return published.keySet().stream().sorted().toList().reversed();
          }

          @Override
          public Optional<String> lainYaml(String name, String version) {
            return Optional.ofNullable(published.get(version));
          }

          @Override
          public Optional<String> releaseImage(String name, String version) {
            return published.containsKey(version)
                ? Optional.of("registry.test/hello:release-" + version)
                : Optional.empty();
          }
        };
    Console console =
        new Console(
            store,
            images,
            (ref, follow, tail) ->
                runtime.logs(
                    ref.container(), LogOptions.allLines().withFollow(follow).withTail(tail)),
            InstantSource.system());
    server = ConsoleServer.start("127.0.0.1", 0, console);
    users = new Users(store, InstantSource.system());
    Files.writeString(app.resolve("lain.yaml"), LAIN_YAML);
    lain("config", "save", "test", "console", "http://127.0.0.1:" + server.port());
  }

  @AfterEach
  void stop() {
    server.close();
    agent.close();
    engine.close();
    runtime.close();
    store.close();
  }

  private CliRun lain(String... args) {
    return CliRun.lain(Map.of("LAIN_HOME", home.toString()), app, args);
  }

  private void publish(String version, String lainYaml, ImageBehaviour behaviour) {
    String image = "registry.test/hello:release-" + version;
    runtime.addImage(image);
    if (behaviour != null) {
      runtime.behave(image, behaviour);
    }
    published.put(version, lainYaml);
  }

  private void login(String user, boolean admin) throws Exception {
    Path token = home.resolve(user + ".token");
    Files.writeString(token, users.create(user, admin).token().token());
    CliRun login = lain("login", "test", "--token-file", token.toString());
    assertThat(login.exitCode()).as(login.err()).isZero();
  }

  private JsonNode ps() throws Exception {
    CliRun ps = lain("ps", "test", "-o", "json");
    assertThat(ps.exitCode()).as(ps.err()).isZero();
    return new ObjectMapper().readTree(ps.out());
  }

  private static int running(JsonNode app) {
    int n = 0;
    for (JsonNode pod : app.path("procs").get(0).path("pods")) {
      if (pod.path("state").asText().equals("running")) {
        n++;
      }
    }
    return n;
  }

  @Test
  void repositDeployScaleUpgradeRollbackUndeploy() throws Exception {
    login("alice", false);
    publish(V1, LAIN_YAML, null);
    publish(V2, LAIN_YAML.replace("memory: 32m", "memory: 48m"), null);

    CliRun reposit = lain("reposit", "test");
    assertThat(reposit.exitCode()).as(reposit.err()).isZero();
    assertThat(reposit.out()).contains("registered hello in test");
    assertThat(lain("reposit", "test").out()).contains("already registered");

    CliRun versions = lain("appversion", "test");
    assertThat(versions.out().lines().toList()).containsExactly(V2, V1);

    CliRun deploy = lain("deploy", "test", "-v", V1, "--timeout", "30");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    assertThat(deploy.err()).contains("deploying hello to " + V1).contains("web: 1/1 ready");
    assertThat(deploy.out()).contains("hello " + V1 + " is healthy");

    CliRun table = lain("ps", "test");
    assertThat(table.out())
        .contains("hello  " + V1 + "  healthy")
        .contains("node1")
        .contains("running");

    CliRun scale = lain("scale", "test", "web", "-n", "3");
    assertThat(scale.exitCode()).as(scale.err()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> running(ps()) == 3);

    CliRun upgrade = lain("deploy", "test", "--timeout", "60", "-o", "json");
    assertThat(upgrade.exitCode()).as(upgrade.err()).isZero();
    assertThat(upgrade.err()).contains("upgrading hello to " + V2);
    // -o json prints the app as it ended, and nothing else, on stdout.
    JsonNode upgraded = new ObjectMapper().readTree(upgrade.out());
    assertThat(upgraded.path("meta_version").asText()).isEqualTo(V2);
    assertThat(upgraded.path("procs").get(0).path("num_instances").asInt())
        .as("the scale is carried over")
        .isEqualTo(3);
    assertThat(upgraded.path("procs").get(0).path("image").asText()).endsWith("release-" + V2);
    assertThat(upgraded.path("procs").get(0).path("memory").asText())
        .as("live limits are carried over, as LAIN's console did")
        .isEqualTo("32m");

    CliRun rollback = lain("rollback", "test", "--timeout", "60");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.err()).contains("rolling hello back to " + V1);
    assertThat(ps().path("meta_version").asText()).isEqualTo(V1);

    CliRun history = lain("history", "test");
    assertThat(history.out())
        .contains("deploy")
        .contains("upgrade")
        .contains("rollback")
        .contains("alice");

    CliRun undeploy = lain("undeploy", "test");
    assertThat(undeploy.exitCode()).as(undeploy.err()).isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                runtime.list(Map.of()).stream()
                    .noneMatch(c -> c.state() == ContainerState.RUNNING));
  }

  @Test
  void logsComeFromTheInstancesContainer() throws Exception {
    login("alice", true);
    publish(V1, LAIN_YAML, null);
    lain("reposit", "test");
    assertThat(lain("deploy", "test", "--timeout", "30").exitCode()).isZero();
    ContainerInfo container =
        runtime.list(Map.of()).stream()
            .filter(c -> c.state() == ContainerState.RUNNING)
            .findFirst()
            .orElseThrow();
    runtime.print(container.id(), "first line", "second line");

    CliRun logs = lain("logs", "test", "web", "1");

    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out()).isEqualTo("first line\nsecond line\n");
    CliRun all = lain("logs", "test", "web", "-n", "1");
    assertThat(all.out()).isEqualTo("second line\n");
  }

  @Test
  void aDeployThatFailsSaysSoAndHowToGoBack() throws Exception {
    login("alice", true);
    publish(V1, LAIN_YAML, null);
    publish(
        BROKEN,
        LAIN_YAML.replace("memory: 32m", "memory: 40m"),
        ImageBehaviour.exitsAfter(Duration.ZERO, 1));
    lain("reposit", "test");
    assertThat(lain("deploy", "test", "-v", V1, "--timeout", "30").exitCode()).isZero();

    CliRun broken = lain("deploy", "test", "-v", BROKEN, "--timeout", "60");

    assertThat(broken.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(broken.err()).contains("the deploy failed").contains("lain deploy PHASE -v " + V1);
  }

  @Test
  void refusalsSayWhatToDo() throws Exception {
    publish(V1, LAIN_YAML, null);

    CliRun anonymous = lain("reposit", "test");
    assertThat(anonymous.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(anonymous.err()).contains("not logged in: run lain login test");

    login("owner", false);
    assertThat(lain("reposit", "test").exitCode()).isZero();
    login("mallory", false);
    CliRun stranger = lain("deploy", "test");
    assertThat(stranger.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(stranger.err()).contains("ask an admin of the app");

    login("root", true);
    CliRun unknown = lain("deploy", "test", "-v", "1700000009-" + "d".repeat(40));
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(unknown.err()).startsWith("error: ").doesNotContain("Exception");

    Path bad = home.resolve("bad.token");
    Files.writeString(bad, "lain_0000000000000000_nope");
    CliRun badLogin = lain("login", "test", "--token-file", bad.toString());
    assertThat(badLogin.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(lain("config", "show").out()).contains("(hidden; logged in)");
  }
}
