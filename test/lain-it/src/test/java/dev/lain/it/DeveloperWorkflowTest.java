package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import dev.lain.agent.AgentClient;
import dev.lain.build.RegistryClient;
import dev.lain.console.Console;
import dev.lain.console.ConsoleServer;
import dev.lain.daemon.AgentLogs;
import dev.lain.daemon.RegistryImages;
import dev.lain.records.console.Users;
import dev.lain.records.webrouter.SystemRoutes;
import dev.lain.router.Router;
import dev.lain.router.render.RouterSettings;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.LocalRegistry;
import dev.lain.testkit.LoopbackHttp;
import dev.lain.testkit.RequiredServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a developer does, end to end, on real services: {@code lain build --push} into a real
 * registry, {@code lain deploy} through the console to agents on a real dockerd, requests through
 * the webrouter's nginx, then scale, upgrade, logs, rollback and undeploy, with nothing left
 * behind.
 */
class DeveloperWorkflowTest {
  static final String HOST = "hello.lain.local";

  @TempDir Path dir;
  @TempDir Path home;
  @TempDir Path app;
  Cluster cluster;
  ConsoleServer console;
  Router router;
  DockerDaemon docker;
  AppWorkspace ws;
  int http;

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    if (console != null) {
      console.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private String page() throws IOException {
    return LoopbackHttp.get(http, HOST, "/index.html");
  }

  private JsonNode ps() throws IOException {
    return new ObjectMapper().readTree(ws.ok("ps", "it", "-o", "json").out());
  }

  private List<Container> appContainers() {
    return docker.client().listContainersCmd().withShowAll(true).exec().stream()
        .filter(c -> c.getNames() != null && c.getNames().length > 0)
        .filter(c -> c.getNames()[0].startsWith("/hello."))
        .toList();
  }

  @Test
  void buildPushDeployServeScaleUpgradeLogsRollbackUndeploy() throws Exception {
    Path nginx = RequiredServices.require("nginx", "apt-get install nginx");
    docker = DockerDaemon.shared();
    ws = new AppWorkspace(home, app, docker);
    String base = BusyboxImage.in(docker);
    LocalRegistry registry = LocalRegistry.shared();
    cluster = new Cluster(dir, docker);
    for (int n = 1; n <= 3; n++) {
      cluster.startAgent(n);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cluster.state.snapshot().alive().size() == 3);
    console =
        ConsoleServer.start(
            "127.0.0.1",
            0,
            new Console(
                cluster.store,
                new RegistryImages(registry.address()),
                new AgentLogs(cluster.state, new AgentClient(cluster.store)),
                InstantSource.system()));
    Cluster.Web web = cluster.startRouter(nginx, RouterSettings.Tuning.DEFAULT);
    router = web.router();
    http = web.http();
    // As laind master does for its --registry: the webrouters serve it at registry.<domain>.
    SystemRoutes.publish(
        cluster.store, new SystemRoutes.SystemRoute("registry", List.of(registry.address())));
    // Until nginx has started, its port refuses connections.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                LoopbackHttp.status(LoopbackHttp.get(http, "registry.lain.local", "/v2/")) == 200);

    Files.writeString(
        app.resolve("lain.yaml"),
        """
        appname: hello
        build:
          base: %s
          script:
            - mkdir -p www && cp index.html www/
        web:
          cmd: [sh, -c, "echo started $LAIN_APPNAME; exec httpd -f -p 8080 -h /lain/app/www"]
          port: 8080
          memory: 32m
          healthcheck: /index.html
        """
            .formatted(base));
    ws.git("init", "-q");
    ws.commit("version one");
    String admin = Users.createAdmin(cluster.store, "admin");
    Files.writeString(home.resolve("token"), admin);
    ws.ok("config", "save", "it", "console", "http://127.0.0.1:" + console.port());
    ws.ok("config", "save", "it", "registry", registry.address());
    ws.ok("login", "it", "--token-file", home.resolve("token").toString());

    ws.ok("reposit", "it");
    ws.ok("build", "--push", "it");
    String v1 = ws.ok("meta").out().strip();
    assertThat(RegistryClient.forRegistry(registry.address()).hasTag("hello", "release-" + v1))
        .isTrue();
    assertThat(
            LoopbackHttp.body(LoopbackHttp.get(http, "registry.lain.local", "/v2/hello/tags/list")))
        .contains("release-" + v1)
        .contains("meta-" + v1);
    // The nodes must pull what they run from the registry, not find it beside the build.
    docker.client().removeImageCmd(registry.address() + "/hello:release-" + v1).exec();

    AppWorkspace.Run deploy = ws.ok("deploy", "it", "--timeout", "120");
    assertThat(deploy.out()).contains("hello " + v1 + " is healthy");
    await().atMost(Duration.ofSeconds(20)).until(() -> LoopbackHttp.status(page()) == 200);
    assertThat(LoopbackHttp.body(page())).isEqualTo("version one\n");

    ws.ok("scale", "it", "web", "-n", "3");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              JsonNode proc = ps().path("procs").get(0);
              Set<String> nodes = new HashSet<>();
              for (JsonNode pod : proc.path("pods")) {
                if (pod.path("health").asText().equals("healthy")) {
                  nodes.add(pod.path("node").asText());
                }
              }
              return nodes.size() == 3;
            });

    ws.commit("version two");
    ws.ok("build", "--push", "it");
    String v2 = ws.ok("meta").out().strip();
    assertThat(v2).isNotEqualTo(v1);
    AppWorkspace.Run upgrade = ws.ok("deploy", "it", "--timeout", "180");
    assertThat(upgrade.err()).contains("upgrading hello to " + v2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> LoopbackHttp.body(page()).equals("version two\n"));
    assertThat(ps().path("procs").get(0).path("num_instances").asInt()).isEqualTo(3);

    AppWorkspace.Run logs = ws.ok("logs", "it", "web", "1");
    assertThat(logs.out()).contains("started hello");
    AppWorkspace.Run allLogs = ws.ok("logs", "it", "web");
    assertThat(allLogs.out())
        .contains("[web.1] started hello", "[web.2] started hello", "[web.3] started hello");

    AppWorkspace.Run rollback = ws.ok("rollback", "it", "--timeout", "180");
    assertThat(rollback.err()).contains("rolling hello back to " + v1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> LoopbackHttp.body(page()).equals("version one\n"));
    assertThat(ws.ok("history", "it").out()).contains("deploy", "upgrade", "rollback");

    ws.ok("undeploy", "it");
    await().atMost(Duration.ofSeconds(90)).until(() -> appContainers().isEmpty());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.state.snapshot().instances().isEmpty());
    assertThat(cluster.state.snapshot().assignments()).isEmpty();
    await().atMost(Duration.ofSeconds(20)).until(() -> LoopbackHttp.status(page()) == 404);
    assertThat(ws.ok("appversion", "it").out().lines().toList())
        .as("images stay in the registry for a later deploy")
        .containsExactly(v2, v1);
  }
}
