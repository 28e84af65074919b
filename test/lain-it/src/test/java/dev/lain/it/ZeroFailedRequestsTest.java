package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RunState;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.router.Router;
import dev.lain.router.render.RouterSettings;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.HttpLoad;
import dev.lain.testkit.LoopbackHttp;
import dev.lain.testkit.RequiredServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webrouter's promise on real Docker: a rolling upgrade of a 3-instance web proc while a load
 * generator sends requests through nginx loses none of them. Old instances leave the routing, the
 * router confirms, requests drain, and only then are they stopped; new ones join once healthy.
 */
class ZeroFailedRequestsTest {
  static final String WEB = "zero.web.web";
  static final String HOST = "zero.lain.local";
  static final int AT_LEAST = 20_000;

  @TempDir Path dir;
  Cluster cluster;
  Router router;
  HttpLoad load;

  @AfterEach
  void stop() throws InterruptedException {
    if (load != null) {
      load.stop();
    }
    if (router != null) {
      router.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Copies that are assigned, running and healthy, with their versions. */
  private Set<Long> healthyVersions(DeploydSnapshot s, int[] count) {
    Set<String> assigned =
        s.assignments().stream().map(a -> a.id().containerName()).collect(Collectors.toSet());
    List<InstanceStatus> healthy =
        s.instances().stream()
            .filter(i -> i.id().podGroup().equals(WEB) && assigned.contains(i.id().containerName()))
            .filter(i -> i.state() == RunState.RUNNING && i.health() == Health.HEALTHY)
            .toList();
    count[0] = healthy.size();
    return healthy.stream().map(i -> i.id().version()).collect(Collectors.toSet());
  }

  private boolean allServing(long version) {
    DeploydSnapshot s = cluster.state.snapshot();
    int[] count = new int[1];
    Set<Long> versions = healthyVersions(s, count);
    long copies = s.assignments().stream().filter(a -> a.id().podGroup().equals(WEB)).count();
    return count[0] == 3 && versions.equals(Set.of(version)) && copies == 3;
  }

  @Test
  void aRollingUpgradeUnderLoadFailsNoRequest() throws Exception {
    Path nginx = RequiredServices.require("nginx", "apt-get install nginx");
    DockerDaemon docker = DockerDaemon.shared();
    String image = BusyboxImage.in(docker);
    cluster = new Cluster(dir, docker);
    for (int n = 1; n <= 3; n++) {
      cluster.startAgent(n);
    }
    Cluster.Web web =
        cluster.startRouter(nginx, RouterSettings.Tuning.DEFAULT.withWorkerProcesses(2));
    router = web.router();
    int http = web.http();

    assertThat(
            cluster.state.createPodGroup(
                PodGroupRecord.deployed(Cluster.busyboxWeb(WEB, image, 3))))
        .isTrue();
    await().atMost(Duration.ofSeconds(90)).until(() -> allServing(1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> LoopbackHttp.status(LoopbackHttp.get(http, HOST, "/index.html")) == 200);

    load = HttpLoad.start(http, HOST, "/index.html", 8);
    await().atMost(Duration.ofSeconds(60)).until(() -> load.totals().requests() >= 2_000);
    long upgradeStarted = System.nanoTime();
    cluster.state.updatePodGroup(
        WEB,
        r -> r.upgradedTo(r.spec().upgradedTo(r.spec().container().withMemoryBytes(48L << 20))));
    await().atMost(Duration.ofSeconds(120)).until(() -> allServing(2));
    long upgradeMillis = (System.nanoTime() - upgradeStarted) / 1_000_000;
    long duringUpgrade = load.totals().requests();
    await().atMost(Duration.ofSeconds(120)).until(() -> load.totals().requests() >= AT_LEAST);
    HttpLoad.Totals totals = load.stop();

    System.out.printf(
        "rolling upgrade of %s under load: %d requests (%d while the upgrade ran, %d ms),"
            + " %d failed %s; router reloads %d, last change served after %d ms%n",
        WEB,
        totals.requests(),
        duringUpgrade,
        upgradeMillis,
        totals.failed(),
        totals.failures(),
        router.status().reloads(),
        router.status().effectiveMillis());
    assertThat(totals.failed()).as("failed requests: %s", totals.firstFailures()).isZero();
    assertThat(totals.requests()).isGreaterThanOrEqualTo(AT_LEAST);
    assertThat(
            cluster.state.snapshot().assignments().stream()
                .filter(a -> a.id().podGroup().equals(WEB))
                .map(Assignment::spec)
                .map(PodGroupSpec::version))
        .containsOnly(2L);
    cluster.state.removePodGroup(WEB);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> cluster.state.snapshot().instances().isEmpty());
  }
}
