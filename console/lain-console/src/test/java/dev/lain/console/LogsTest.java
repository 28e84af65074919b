package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.records.deployd.DeploydState;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instance logs: found through deployd's view, read through the LogSource, streamed. */
class LogsTest {
  ConsoleHarness h;
  String dev;

  @BeforeEach
  void start() {
    h = new ConsoleHarness();
    dev = h.user("dev");
    h.repo("hello", dev);
    h.post(
        "/api/v1/apps",
        dev,
        "{\"appname\":\"hello\",\"meta_version\":\"" + ConsoleHarness.HELLO_V1 + "\"}");
    // What the engine and an agent would have written: instance 1 of web on node1, an old copy
    // (v1, exited) and the current one (v2, running and healthy).
    DeploydState state = new DeploydState(h.store);
    state.registerNode(
        new NodeInfo("node1", "10.0.0.1", 22, new Resources(1L << 30, 4000), Map.of()));
    PodGroupSpec web = h.spec("hello.web.web");
    InstanceId old = new InstanceId("hello.web.web", 1, 1, 0);
    InstanceId current = new InstanceId("hello.web.web", 1, 2, 0);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    state.applyAssignments(
        List.of(
            new Assignment(old, "node1", web, TargetState.RUN, 0, t),
            new Assignment(current, "node1", web.withVersion(2), TargetState.RUN, 0, t)),
        List.of());
    state.reportInstances(
        "node1",
        List.of(
            new InstanceStatus(
                old,
                "node1",
                "10.0.0.1",
                "",
                0,
                0,
                RunState.EXITED,
                Health.NONE,
                0,
                false,
                0,
                "",
                t),
            new InstanceStatus(
                current,
                "node1",
                "10.0.0.1",
                "",
                0,
                31001,
                RunState.RUNNING,
                Health.HEALTHY,
                1,
                false,
                0,
                "",
                t)),
        List.of());
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void logsOfTheRunningCopyAreReadFromItsNode() {
    ConsoleHarness.Response r = h.get("/api/v1/apps/hello/procs/web/instances/1/logs?tail=20", dev);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).startsWith("line 1 of hello.web.web.v2-i1-d0\n");
    FakeLogs.Opened opened = h.logs.opened.get(0);
    assertThat(opened.container())
        .isEqualTo(new LogSource.ContainerRef("node1", "10.0.0.1", "hello.web.web.v2-i1-d0"));
    assertThat(opened.tail()).isEqualTo(20);
    assertThat(opened.follow()).isFalse();
    assertThat(opened.closed()).isTrue();
  }

  @Test
  void theAppViewShowsWhereEachInstanceRuns() {
    var pods = h.get("/api/v1/apps/hello/procs/web", dev).json().path("proc").path("pods");

    assertThat(pods).hasSize(2);
    var running = pods.get(1);
    assertThat(running.path("node").asText()).isEqualTo("node1");
    assertThat(running.path("node_ip").asText()).isEqualTo("10.0.0.1");
    assertThat(running.path("host_port").asInt()).isEqualTo(31001);
    assertThat(running.path("state").asText()).isEqualTo("running");
    assertThat(running.path("health").asText()).isEqualTo("healthy");
    assertThat(running.path("restarts").asInt()).isEqualTo(1);
  }

  @Test
  void followStreamsUntilTheClientGoesAway() throws Exception {
    HttpResponse<InputStream> response =
        h.http.send(
            HttpRequest.newBuilder(
                    h.uri("/api/v1/apps/hello/procs/web/instances/1/logs?follow=true"))
                .header("Authorization", "Bearer " + dev)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain");
    InputStream body = response.body();
    byte[] first = new byte[40];
    int n = body.readNBytes(first, 0, 40);
    assertThat(new String(first, 0, n, StandardCharsets.UTF_8))
        .startsWith("follow line 1\nfollow line 2\n");
    FakeLogs.Opened opened = h.logs.opened.get(0);
    assertThat(opened.follow()).isTrue();
    assertThat(opened.closed()).isFalse();

    body.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> opened.closed().get());
  }
}
