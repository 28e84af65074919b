package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * deployd end to end on a real Docker engine: a master, three {@code laind agent} processes on node
 * IPs 127.0.1.1-3, one busybox web proc serving HTTP. The steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploydOnDockerTest {
  static final String WEB = "hello.web.web";

  @TempDir static Path dir;
  static DockerDaemon docker;
  static String image;
  static Cluster cluster;
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startCluster() throws Exception {
    docker = DockerDaemon.shared();
    image = BusyboxImage.in(docker);
    cluster = new Cluster(dir, docker);
    for (int n = 1; n <= 3; n++) {
      cluster.startAgent(n);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> cluster.state.snapshot().alive().size() == 3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static PodGroupSpec web(List<String> command) {
    ContainerSpec container =
        ContainerSpec.of(image).withCommand(command).withPort(8080).withMemoryBytes(32L << 20);
    return new PodGroupSpec(
        WEB,
        "hello",
        1,
        container,
        3,
        RestartPolicy.ALWAYS,
        List.of(NodeConstraint.DEFAULT_GROUP),
        false,
        new HealthCheck.Http("/index.html", Duration.ofSeconds(1), Duration.ofSeconds(1), 2),
        Duration.ZERO,
        Duration.ofSeconds(2));
  }

  private static List<String> serve() {
    return List.of("httpd", "-f", "-p", "8080", "-h", "/www");
  }

  /** Statuses of assigned copies that are running and healthy. */
  private static List<InstanceStatus> healthy() {
    DeploydSnapshot s = cluster.state.snapshot();
    Set<String> assigned =
        s.assignments().stream().map(a -> a.id().containerName()).collect(Collectors.toSet());
    return s.instances().stream()
        .filter(i -> i.id().podGroup().equals(WEB) && assigned.contains(i.id().containerName()))
        .filter(i -> i.state() == RunState.RUNNING && i.health() == Health.HEALTHY)
        .toList();
  }

  private static List<Container> containers() {
    return Cluster.containers(docker, WEB);
  }

  private static String get(InstanceStatus s) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + s.nodeIp() + ":" + s.hostPort() + "/index.html"))
                .timeout(Duration.ofSeconds(3))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  @Test
  @Order(1)
  void aWebProcWithThreeInstancesRunsOnePerNodeAndServes() throws Exception {
    assertThat(cluster.state.createPodGroup(PodGroupRecord.deployed(web(serve())))).isTrue();

    await().atMost(Duration.ofSeconds(60)).until(() -> healthy().size() == 3);

    List<InstanceStatus> up = healthy();
    assertThat(up)
        .extracting(InstanceStatus::node)
        .containsExactlyInAnyOrder("node1", "node2", "node3");
    for (InstanceStatus s : up) {
      assertThat(s.nodeIp()).isEqualTo("127.0.1." + s.node().substring(4));
      assertThat(get(s)).isEqualTo(BusyboxImage.INDEX_HTML);
    }
    assertThat(containers())
        .extracting(c -> c.getNames()[0].substring(1))
        .containsExactlyInAnyOrder(
            "hello.web.web.v1-i1-d0", "hello.web.web.v1-i2-d0", "hello.web.web.v1-i3-d0");
    Container one = containers().getFirst();
    assertThat(one.getLabels())
        .containsEntry("cc.bdp.lain.deployd.pg_namespace", "hello")
        .containsKey("cc.bdp.lain.deployd.instance_no")
        .containsEntry("cc.bdp.lain.deployd.version", "1");
    List<String> env =
        List.of(docker.client().inspectContainerCmd(one.getId()).exec().getConfig().getEnv());
    assertThat(env).contains("DEPLOYD_POD_NAME=hello.web.web", "DEPLOYD_POD_NAMESPACE=hello");
    assertThat(docker.client().inspectContainerCmd(one.getId()).exec().getHostConfig().getMemory())
        .isEqualTo(32L << 20);
  }

  @Test
  @Order(2)
  void aKilledContainerIsStartedAgain() {
    Container victim = containers().getFirst();
    docker.client().killContainerCmd(victim.getId()).exec();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                healthy().stream()
                    .anyMatch(
                        s ->
                            s.id().containerName().equals(victim.getNames()[0].substring(1))
                                && s.restarts() >= 1));
    await().atMost(Duration.ofSeconds(30)).until(() -> healthy().size() == 3);
  }

  @Test
  @Order(3)
  void anAgentKilledAndRestartedLeavesItsContainersRunningUntouched() throws Exception {
    Map<String, String> startedBefore = startTimes();

    cluster.killAgent(1);
    cluster.startAgent(1);

    // Past one heartbeat TTL, so the restarted agent has certainly re-registered and reported.
    Thread.sleep(Cluster.HEARTBEAT.plusSeconds(2).toMillis());
    await().atMost(Duration.ofSeconds(30)).until(() -> healthy().size() == 3);
    assertThat(startTimes()).isEqualTo(startedBefore);
  }

  private static Map<String, String> startTimes() {
    return Cluster.startTimes(docker, WEB);
  }

  @Test
  @Order(5)
  void anUpgradeWhoseFirstInstanceNeverGetsHealthyIsRolledBack() {
    // Serves nothing on the health check port: never healthy.
    cluster.state.updatePodGroup(
        WEB,
        r ->
            r.upgradedTo(
                r.spec().upgradedTo(r.spec().container().withCommand(List.of("sleep", "1000")))));

    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> cluster.state.podGroup(WEB).orElseThrow().value().spec().version() == 3);
    PodGroupRecord record = cluster.state.podGroup(WEB).orElseThrow().value();
    assertThat(record.spec().container().command()).isEqualTo(serve());
    assertThat(record.notice()).contains("rolled back");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                healthy().size() == 3
                    && healthy().stream().allMatch(s -> s.id().version() == 3)
                    && containers().size() == 3);
  }

  @Test
  @Order(4)
  void theInstancesOfANodeGoneForGoodServeFromTheOtherNodesWithin30Seconds() throws Exception {
    assertThat(healthy()).extracting(InstanceStatus::node).contains("node3");
    cluster.killAgent(3);
    for (Container c :
        docker
            .client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of("cc.bdp.lain.deployd.node", "node3"))
            .exec()) {
      docker.client().removeContainerCmd(c.getId()).withForce(true).exec();
    }
    long start = System.nanoTime();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                healthy().size() == 3
                    && healthy().stream().noneMatch(s -> s.node().equals("node3")));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("replacements for node3 served after " + took.toMillis() + " ms");
    for (InstanceStatus s : healthy()) {
      assertThat(get(s)).isEqualTo(BusyboxImage.INDEX_HTML);
    }
    assertThat(cluster.state.snapshot().assignments())
        .extracting(Assignment::node)
        .doesNotContain("node3");
  }

  @Test
  @Order(6)
  void undeployingLeavesNoContainerBehind() {
    cluster.state.removePodGroup(WEB);
    await().atMost(Duration.ofSeconds(30)).until(() -> containers().isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.state.snapshot().instances().isEmpty());
    assertThat(cluster.state.snapshot().assignments()).isEmpty();
    assertThat(Optional.ofNullable(cluster.state.snapshot().conditions().get(WEB))).isEmpty();
  }
}
