package dev.lain.console;

import static dev.lain.console.ConsoleHarness.HELLO_V1;
import static dev.lain.console.ConsoleHarness.HELLO_V2;
import static dev.lain.console.ConsoleHarness.HELLO_V3;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.api.deployd.PodGroupView;
import dev.lain.console.ConsoleHarness.Response;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.TargetState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deploy, upgrade, scale, operate, roll back and undeploy over HTTP, checked in deployd. */
class DeployFlowTest {
  ConsoleHarness h;
  String dev;

  @BeforeEach
  void start() {
    h = new ConsoleHarness();
    dev = h.user("dev");
    h.repo("hello", dev);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private List<String> podGroups() {
    return h.deployd.list(Optional.of("hello")).stream().map(PodGroupView::name).toList();
  }

  private List<String> historyActions() {
    List<String> out = new ArrayList<>();
    for (JsonNode e : h.get("/api/v1/apps/hello/history", dev).json().path("history")) {
      out.add(
          e.path("version").asInt()
              + " "
              + e.path("action").asText()
              + " "
              + e.path("meta_version").asText()
              + " "
              + e.path("user").asText());
    }
    return out;
  }

  @Test
  void firstDeployTakesTheNewestReleasedVersionAndCreatesEveryPodGroup() {
    Response r = h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(202);
    assertThat(r.json().path("app").path("meta_version").asText()).isEqualTo(HELLO_V3);
    assertThat(r.json().path("app").path("state").asText()).isEqualTo("deploying");
    assertThat(r.json().path("msg").asText()).contains("deploying hello");
    assertThat(podGroups()).containsExactly("hello.web.web", "hello.worker.sync");
    PodGroupSpec web = h.spec("hello.web.web");
    assertThat(web.container().image()).isEqualTo(FakeImages.release("hello", HELLO_V3));
    assertThat(web.numInstances()).isEqualTo(3);
    assertThat(web.container().memoryBytes()).isEqualTo(64L << 20);
    assertThat(web.container().env()).contains("LAIN_APP_RELEASE_VERSION=" + HELLO_V3);
    assertThat(historyActions()).containsExactly("1 deploy " + HELLO_V3 + " dev");
  }

  @Test
  void aVersionWithoutReleaseImageIsSkippedByDefaultAndRefusedByName() {
    h.images.pushMetaOnly("hello", "1700000300-ddddddd", ConsoleHarness.HELLO_YAML_V1);

    Response named =
        h.post(
            "/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"1700000300-ddddddd\"}");
    Response latest = h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");

    assertThat(named.status()).isEqualTo(400);
    assertThat(named.message()).contains("no release image");
    assertThat(latest.status()).isEqualTo(202);
    assertThat(latest.json().path("app").path("meta_version").asText()).isEqualTo(HELLO_V3);
  }

  @Test
  void upgradeRemovesDroppedProcsCreatesNewOnesAndKeepsTheLiveScale() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"" + HELLO_V1 + "\"}");
    Response scaled =
        h.call(
            "PATCH",
            "/api/v1/apps/hello/procs/web",
            dev,
            "{\"num_instances\":4,\"memory\":\"256m\",\"cpu\":2}");
    assertThat(scaled.status()).as(scaled.body()).isEqualTo(202);

    Response up =
        h.call("PUT", "/api/v1/apps/hello/", dev, "{\"meta_version\":\"" + HELLO_V2 + "\"}");

    assertThat(up.status()).as(up.body()).isEqualTo(202);
    assertThat(podGroups()).containsExactly("hello.web.web", "hello.worker.jobs");
    PodGroupSpec web = h.spec("hello.web.web");
    assertThat(web.container().image()).isEqualTo(FakeImages.release("hello", HELLO_V2));
    // lain.yaml v2 says 5 instances and 128m; the live scale wins, as in LAIN.
    assertThat(web.numInstances()).isEqualTo(4);
    assertThat(web.container().memoryBytes()).isEqualTo(256L << 20);
    assertThat(web.container().cpuLevel()).isEqualTo(2);
    assertThat(web.version()).isEqualTo(3);
    assertThat(h.deployd.get("hello.web.web").desired().previous()).isPresent();
    assertThat(h.spec("hello.worker.jobs").container().command()).containsExactly("sleep", "2000");
    assertThat(historyActions())
        .containsExactly("2 upgrade " + HELLO_V2 + " dev", "1 deploy " + HELLO_V1 + " dev");
  }

  @Test
  void scaleAppliesEveryFieldAsOneChange() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"" + HELLO_V1 + "\"}");
    long before = h.spec("hello.web.web").version();

    Response onlyCount =
        h.call("PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"num_instances\":0}");
    assertThat(onlyCount.status()).isEqualTo(202);
    assertThat(h.spec("hello.web.web").numInstances()).isZero();
    assertThat(h.spec("hello.web.web").version())
        .as("a count alone is no new version")
        .isEqualTo(before);

    Response bad =
        h.call(
            "PATCH",
            "/api/v1/apps/hello/procs/web",
            dev,
            "{\"num_instances\":3,\"memory\":\"1m\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(h.spec("hello.web.web").numInstances()).as("nothing half applied").isZero();

    Response both =
        h.call(
            "PATCH",
            "/api/v1/apps/hello/procs/web",
            dev,
            "{\"num_instances\":3,\"memory\":\"1g\"}");
    assertThat(both.status()).isEqualTo(202);
    assertThat(both.json().path("proc").path("memory").asText()).isEqualTo("1g");
    PodGroupSpec web = h.spec("hello.web.web");
    assertThat(web.numInstances()).isEqualTo(3);
    assertThat(web.container().memoryBytes()).isEqualTo(1L << 30);
    assertThat(web.version()).isEqualTo(before + 1);
  }

  @Test
  void operationsStopStartAndRestartInstances() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"" + HELLO_V1 + "\"}");

    assertThat(
            h.call(
                    "PATCH",
                    "/api/v1/apps/hello/procs/web",
                    dev,
                    "{\"operation\":\"stop\",\"instance\":2}")
                .status())
        .isEqualTo(202);
    assertThat(h.deployd.get("hello.web.web").desired().targetOf(2)).isEqualTo(TargetState.STOP);
    h.call(
        "PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"operation\":\"start\",\"instance\":2}");
    assertThat(h.deployd.get("hello.web.web").desired().targetOf(2)).isEqualTo(TargetState.RUN);
    h.call("PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"operation\":\"restart\"}");
    assertThat(h.deployd.get("hello.web.web").desired().restartGenerationOf(1)).isEqualTo(1);
    assertThat(h.deployd.get("hello.web.web").desired().restartGenerationOf(2)).isEqualTo(1);
  }

  @Test
  void rollbackGoesToThePreviousVersionByDefault() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"" + HELLO_V1 + "\"}");
    Response none = h.post("/api/v1/apps/hello/rollback", dev, null);
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.message()).contains("no earlier version");

    h.clock.advance(Duration.ofMinutes(1));
    h.call("PUT", "/api/v1/apps/hello", dev, "{\"meta_version\":\"" + HELLO_V2 + "\"}");
    Response back = h.post("/api/v1/apps/hello/rollback", dev, "");

    assertThat(back.status()).as(back.body()).isEqualTo(202);
    assertThat(back.json().path("app").path("meta_version").asText()).isEqualTo(HELLO_V1);
    assertThat(podGroups()).containsExactly("hello.web.web", "hello.worker.sync");
    assertThat(h.spec("hello.web.web").container().image())
        .isEqualTo(FakeImages.release("hello", HELLO_V1));
    assertThat(historyActions())
        .containsExactly(
            "3 rollback " + HELLO_V1 + " dev",
            "2 upgrade " + HELLO_V2 + " dev",
            "1 deploy " + HELLO_V1 + " dev");
    JsonNode newest = h.get("/api/v1/apps/hello/history", dev).json().path("history").get(0);
    assertThat(newest.path("previous_meta_version").asText()).isEqualTo(HELLO_V2);
    assertThat(newest.path("time").asText()).isEqualTo("2026-01-01T00:01:00Z");
  }

  @Test
  void undeployRemovesPodGroupsKeepsTheRepoAndAllowsANewDeploy() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"" + HELLO_V1 + "\"}");

    Response gone = h.call("DELETE", "/api/v1/apps/hello", dev, null);

    assertThat(gone.status()).isEqualTo(202);
    assertThat(podGroups()).isEmpty();
    assertThat(h.get("/api/v1/apps/hello", dev).status()).isEqualTo(404);
    assertThat(h.get("/api/v1/repos/hello", dev).status()).isEqualTo(200);
    assertThat(historyActions()).first().asString().startsWith("2 undeploy");
    assertThat(h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}").status()).isEqualTo(202);
    assertThat(historyActions()).first().asString().startsWith("3 deploy");
  }

  @Test
  void appViewShowsLiveProcsAndTheSecondDeployIsAConflict() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"" + HELLO_V1 + "\"}");

    Response again = h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");
    JsonNode app = h.get("/api/v1/apps/hello", dev).json().path("app");
    JsonNode procs = h.get("/api/v1/apps/hello/procs", dev).json().path("procs");
    JsonNode web = h.get("/api/v1/apps/hello/procs/web/", dev).json().path("proc");

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("conflict");
    assertThat(app.path("meta_version").asText()).isEqualTo(HELLO_V1);
    assertThat(app.path("procs")).hasSize(2);
    assertThat(procs).hasSize(2);
    assertThat(web.path("num_instances").asInt()).isEqualTo(2);
    assertThat(web.path("memory").asText()).isEqualTo("64m");
    assertThat(web.path("image").asText()).isEqualTo(FakeImages.release("hello", HELLO_V1));
    assertThat(h.get("/api/v1/apps", dev).json().path("apps")).hasSize(1);
  }

  @Test
  void protectedAppsCannotBeUndeployed() {
    h.store.put("/lain/config/protected_apps", "[\"hello\"]");
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");

    Response r = h.call("DELETE", "/api/v1/apps/hello", h.adminToken, null);

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.message()).contains("protected");
    assertThat(podGroups()).hasSize(2);
  }

  @Test
  void normalMaintainersDeployButOnlyAdminsUndeploy() {
    String ops = h.user("ops");
    assertThat(
            h.post(
                    "/api/v1/repos/hello/maintainers",
                    dev,
                    "{\"username\":\"ops\",\"role\":\"normal\"}")
                .status())
        .isEqualTo(201);

    assertThat(h.post("/api/v1/apps", ops, "{\"appname\":\"hello\"}").status()).isEqualTo(202);
    assertThat(
            h.call("PATCH", "/api/v1/apps/hello/procs/web", ops, "{\"num_instances\":1}").status())
        .isEqualTo(202);
    assertThat(h.call("DELETE", "/api/v1/apps/hello", ops, null).status()).isEqualTo(403);
    assertThat(
            h.post(
                    "/api/v1/repos/hello/maintainers",
                    ops,
                    "{\"username\":\"ops\",\"role\":\"admin\"}")
                .status())
        .isEqualTo(403);
    assertThat(h.call("DELETE", "/api/v1/apps/hello", dev, null).status()).isEqualTo(202);
  }

  @Test
  void aBrokenLainYamlIsRefusedWithItsProblemsAndNothingIsWritten() {
    h.images.push("hello", "1700000900-eeeeeee", "appname: hello\nweb:\n  memory: lots\n");

    Response r =
        h.post(
            "/api/v1/apps", dev, "{\"appname\":\"hello\",\"meta_version\":\"1700000900-eeeeeee\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("is not valid").contains("memory");
    assertThat(podGroups()).isEmpty();
    assertThat(h.get("/api/v1/apps/hello", dev).status()).isEqualTo(404);
  }
}
