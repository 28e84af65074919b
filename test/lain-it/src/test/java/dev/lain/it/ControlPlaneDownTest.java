package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.RunState;
import dev.lain.records.deployd.DeploydState;
import dev.lain.router.render.RouterSettings;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.HttpLoad;
import dev.lain.testkit.LoopbackHttp;
import dev.lain.testkit.RequiredServices;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single node's data plane outlives its control plane: {@code laind all} (master, console and
 * agent in one process, as the lain-node unit runs it) is killed with SIGKILL while a load
 * generator sends requests through the webrouter, stays down 30 s (a supervisor's restart delay)
 * and comes back. No request fails, and the restarted agent adopts the containers it left.
 */
class ControlPlaneDownTest {
  static final String WEB = "steady.web.web";
  static final String HOST = "steady.lain.local";
  static final Duration DOWN = Duration.ofSeconds(30);

  @TempDir Path dir;
  Store store;
  Cluster.Web web;
  HttpLoad load;
  Process laind;

  @AfterEach
  void stop() throws InterruptedException {
    if (load != null) {
      load.stop();
    }
    if (web != null) {
      web.close();
    }
    if (laind != null) {
      laind.destroy();
      if (!laind.waitFor(15, TimeUnit.SECONDS)) {
        laind.destroyForcibly();
      }
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aKilledLaindFailsNoRequestWhileItIsDownNorWhenItIsBack() throws Exception {
    Path nginx = RequiredServices.require("nginx", "apt-get install nginx");
    DockerDaemon docker = DockerDaemon.shared();
    String image = BusyboxImage.in(docker);
    String storeUrl = "embedded:" + dir.resolve("store.db");
    store = Stores.open(storeUrl);
    DeploydState state = new DeploydState(store);
    laind = startLaind(storeUrl, docker);
    web = Cluster.startRouter(store, dir, nginx, RouterSettings.Tuning.DEFAULT);
    int http = web.http();

    assertThat(state.createPodGroup(PodGroupRecord.deployed(Cluster.busyboxWeb(WEB, image, 2))))
        .isTrue();
    await().atMost(Duration.ofSeconds(90)).until(() -> healthy(state).size() == 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> LoopbackHttp.status(LoopbackHttp.get(http, HOST, "/index.html")) == 200);
    Map<String, String> startedBefore = Cluster.startTimes(docker, WEB);

    load = HttpLoad.start(http, HOST, "/index.html", 4);
    await().atMost(Duration.ofSeconds(60)).until(() -> load.totals().requests() >= 1_000);
    laind.destroyForcibly();
    laind.waitFor(10, TimeUnit.SECONDS);
    long killedAt = System.nanoTime();
    long beforeKill = load.totals().requests();
    Thread.sleep(DOWN.toMillis());
    long whileDown = load.totals().requests() - beforeKill;
    laind = startLaind(storeUrl, docker);
    long restartedAt = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> state.snapshot().alive().contains("node1") && healthy(state).size() == 2);
    double backAfter = (System.nanoTime() - restartedAt) / 1e9;
    // A minute after the kill in all, as the supervisor's restart would give.
    long left = Duration.ofSeconds(60).toNanos() - (System.nanoTime() - killedAt);
    if (left > 0) {
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
    }
    HttpLoad.Totals totals = load.stop();

    System.out.printf(
        "laind killed under load: %d requests (%d in the %d s it was down), %d failed %s;"
            + " its node live again with both instances healthy %.1f s after the restart%n",
        totals.requests(),
        whileDown,
        DOWN.toSeconds(),
        totals.failed(),
        totals.failures(),
        backAfter);
    assertThat(totals.failed()).as("failed requests: %s", totals.firstFailures()).isZero();
    assertThat(whileDown).as("requests served while laind was down").isGreaterThan(100);
    assertThat(Cluster.startTimes(docker, WEB))
        .as("the restarted agent adopted its containers, started once")
        .isEqualTo(startedBefore);
  }

  private Process startLaind(String storeUrl, DockerDaemon docker) throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--store",
            storeUrl,
            "all",
            "--listen",
            "127.0.0.1:" + LoopbackHttp.freePorts(1).getFirst(),
            "--console",
            "127.0.0.1:" + LoopbackHttp.freePorts(1).getFirst(),
            "--node-grace",
            "10s"));
    args.addAll(Cluster.agentOptions(dir, docker, 1));
    return Cluster.laind(dir.resolve("laind.log"), args);
  }

  private static List<InstanceStatus> healthy(DeploydState state) {
    return state.snapshot().instances().stream()
        .filter(i -> i.id().podGroup().equals(WEB))
        .filter(i -> i.state() == RunState.RUNNING && i.health() == Health.HEALTHY)
        .toList();
  }
}
