package dev.lain.nodeinstall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.lain.agent.ContainerLabels;
import dev.lain.deployd.Engine;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.model.node.NodeLayout;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.nodes.JoinTokens;
import dev.lain.records.nodes.NodeInstalls;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Fence;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way through SSH: {@code node add} copies the distribution (the repository's {@code
 * bin/} and {@code scripts/lib/} launchers, and a jar) into the sandbox, the node's start script
 * execs a real {@code laind agent --join-token-file} process (pid file), which redeems the join
 * token itself and then registers in the shared embedded store; an engine in the test places a
 * worker (lain-testkit's busybox image) on the joined node, whose agent runs it in a private
 * dockerd (lain-testkit); the pod group is removed again, and {@code node remove} stops the agent
 * over SSH, deletes what node add installed and unregisters it.
 *
 * <p>The jar is {@code -Dlain.dist.jar} when given (the shaded build), else a manifest-only jar
 * whose {@code Class-Path} is this test's class path.
 */
class NodeJoinProcessTest {
  static final String WORKER = "joined.worker.sleeper";

  @TempDir Path dir;
  private final List<String> progress = new ArrayList<>();
  private SandboxSshd sshd;

  @AfterEach
  void killLeftovers() throws IOException {
    if (sshd != null) {
      Path pid = sshd.sandbox.resolve("run/lain-agent.pid");
      if (Files.exists(pid)) {
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
      sshd.close();
    }
  }

  private Path jar() throws IOException {
    String given = System.getProperty("lain.dist.jar");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest
        .getMainAttributes()
        .put(
            Attributes.Name.CLASS_PATH,
            Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" ")));
    Path jar = dir.resolve("lain.jar");
    try (OutputStream out = Files.newOutputStream(jar)) {
      // The manifest is all: the classes stay where the build put them.
      new JarOutputStream(out, manifest).finish();
    }
    return jar;
  }

  /** A worker that only sleeps; busybox's sleep as pid 1 ignores SIGTERM, hence the short kill. */
  private static PodGroupSpec worker(String image) {
    return new PodGroupSpec(
        WORKER,
        "joined",
        1,
        ContainerSpec.of(image).withCommand(List.of("sleep", "3600")).withMemoryBytes(32L << 20),
        1,
        RestartPolicy.ALWAYS,
        List.of(NodeConstraint.DEFAULT_GROUP),
        false,
        new HealthCheck.None(),
        Duration.ZERO,
        Duration.ofSeconds(1));
  }

  /** The worker's containers in the private dockerd, found by LAIN's pod group label. */
  private static List<Container> workerContainers(DockerDaemon docker) {
    return docker
        .client()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ContainerLabels.POD_GROUP, WORKER))
        .exec();
  }

  private static Optional<InstanceStatus> runningOn(DeploydState state, String node) {
    return state.snapshot().instances().stream()
        .filter(i -> i.id().podGroup().equals(WORKER))
        .filter(i -> i.node().equals(node) && i.state() == RunState.RUNNING)
        .findFirst();
  }

  @Test
  void addsANodeWithARealAgentProcessThenRemovesIt() throws Exception {
    DockerDaemon docker = DockerDaemon.shared();
    String image = BusyboxImage.in(docker);
    String storeUrl = "embedded:" + dir.resolve("store.db");
    sshd = new SandboxSshd(dir.resolve("node"), Optional.empty());
    Path sandbox = sshd.sandbox;
    try (Store store = Stores.open(storeUrl);
        SshConnector ssh =
            new SshConnector(
                ClusterKey.loadOrCreate(dir.resolve("keys/id_ecdsa")),
                "root",
                Duration.ofSeconds(5))) {
      Files.createDirectories(sshd.authorizedKeys().getParent());
      Files.writeString(sshd.authorizedKeys(), ssh.key().authorizedKeysLine() + "\n");
      NodeLayout layout =
          new NodeLayout(
              sandbox.resolve("opt/lain").toString(),
              sandbox.resolve("run").toString(),
              sandbox.resolve("log").toString(),
              sandbox.resolve("data").toString(),
              sandbox.resolve("units").toString());
      NodeJoin.Request request =
          new NodeJoin.Request(
              List.of(NodeAddress.parse("node2:127.0.0.1")),
              sshd.port(),
              "root",
              layout,
              Map.of("group", "default", "disk", "ssd"),
              Optional.empty(),
              storeUrl,
              "pid-file",
              List.of(
                  "--docker",
                  docker.socketUri().toString(),
                  "--agent-port",
                  "0",
                  "--memory",
                  "1g",
                  "--cpus",
                  "1",
                  "--heartbeat-ttl",
                  "5s",
                  "--port-range",
                  "31000-31099"),
              false,
              Duration.ofSeconds(60),
              Duration.ofSeconds(120));
      List<NodeInfo> joined =
          new NodeJoin(
                  store,
                  ssh,
                  Distribution.of(Path.of("../..").toAbsolutePath().normalize(), jar()),
                  DockerAlreadyRuns.STEPS,
                  NodeJoin.remoteStarters(),
                  NodeJoin.PasswordSource.NONE,
                  progress::add,
                  InstantSource.system(),
                  NodeJoin.Sleeper.SYSTEM)
              .add(request);

      assertThat(joined.getFirst().labels()).containsEntry("disk", "ssd");
      assertThat(joined.getFirst().hasAgentApi()).isTrue();
      assertThat(progress).anyMatch(l -> l.contains("start the agent (pid-file): started"));
      Path pidFile = sandbox.resolve("run/lain-agent.pid");
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);
      // The agent itself redeemed the token: the script only hands it the file.
      assertThat(Files.readString(sandbox.resolve("opt/lain/etc/lain-node-agent")))
          .contains("--join-token-file")
          .doesNotContain("RedeemJoinToken");
      assertThat(sandbox.resolve("opt/lain/etc/join-token")).doesNotExist();
      assertThat(store.list(JoinTokens.PREFIX).entries()).isEmpty();
      assertThat(NodeInstalls.load(store, "node2")).isPresent();

      // The joined node receives an instance for real: a container in the private dockerd.
      DeploydState state = new DeploydState(store);
      Engine engine =
          Engine.start(
              store,
              Fence.take(store, "/lain/deployd/leader/alone", "test"),
              () -> {},
              new EngineSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), 3),
              InstantSource.system(),
              Duration.ofMillis(200));
      try {
        assertThat(state.createPodGroup(PodGroupRecord.deployed(worker(image)))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> runningOn(state, "node2").isPresent());
        InstanceStatus instance = runningOn(state, "node2").orElseThrow();
        assertThat(instance.nodeIp()).isEqualTo("127.0.0.1");
        List<Container> containers = workerContainers(docker);
        assertThat(containers).hasSize(1);
        Container container = containers.getFirst();
        assertThat(container.getNames()).containsExactly("/" + instance.id().containerName());
        assertThat(container.getImage()).isEqualTo(image);
        assertThat(container.getState()).isEqualTo("running");
        assertThat(container.getLabels())
            .containsEntry(ContainerLabels.NODE, "node2")
            .containsEntry(ContainerLabels.NAMESPACE, "joined")
            .containsEntry(ContainerLabels.INSTANCE, "1");

        assertThat(state.removePodGroup(WORKER)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> workerContainers(docker).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> state.assignmentsOf("node2").isEmpty());
      } finally {
        engine.close();
      }

      // Another live node, so that node2 is not the last one.
      state.registerNode(
          new NodeInfo("node9", "127.0.0.9", 22, new Resources(1L << 30, 1000), Map.of()));
      state.heartbeat("node9", "127.0.0.9", store.grantLease(Duration.ofSeconds(60)).id());

      new NodeRemove(
              store,
              Optional.of(ssh),
              NodeRemove.remoteStarters(),
              progress::add,
              InstantSource.system(),
              NodeJoin.Sleeper.SYSTEM)
          .remove(new NodeRemove.Request("node2", Set.of(), Duration.ofSeconds(10)));

      assertThat(state.nodes()).containsOnlyKeys("node9");
      assertThat(ClusterNodes.alive(store, "node2")).isFalse();
      assertThat(pidFile).doesNotExist();
      // What node add installed is gone: the distribution, the start script, the agent's log.
      assertThat(sandbox.resolve("opt/lain")).doesNotExist();
      assertThat(sandbox.resolve("log/agent.log")).doesNotExist();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }
  }
}
