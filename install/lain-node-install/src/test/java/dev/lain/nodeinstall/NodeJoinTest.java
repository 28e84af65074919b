package dev.lain.nodeinstall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.node.NodeInstall;
import dev.lain.model.node.NodeLayout;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.records.nodes.EtcdMembers;
import dev.lain.records.nodes.JoinTokens;
import dev.lain.records.nodes.NodeInstalls;
import dev.lain.runtime.FakeRuntime;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Fence;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code node add} and {@code node remove} over SSH against a sandboxed MINA SSHD on loopback. The
 * agents here run in the test's JVM on the fake runtime (instances are placed by a real engine);
 * {@link NodeJoinProcessTest} runs a real {@code laind agent} process through SSH.
 */
class NodeJoinTest {
  @TempDir Path dir;
  private Store store;
  private FakeRuntime runtime;
  private InProcessAgentStarter agents;
  private SandboxSshd sshd;
  private SshConnector ssh;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    store = Stores.open("embedded:" + dir.resolve("store.db"));
    runtime = FakeRuntime.onSystemClock();
    runtime.addImage("hello:v1");
    agents = new InProcessAgentStarter(store, runtime, dir.resolve("data"), true);
    sshd = new SandboxSshd(dir.resolve("node"), Optional.of("s3cret"));
    ssh =
        new SshConnector(
            ClusterKey.loadOrCreate(dir.resolve("keys/id_ecdsa")), "root", Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws IOException {
    agents.closeAll();
    ssh.close();
    sshd.close();
    runtime.close();
    store.close();
  }

  private void authorizeClusterKey() throws IOException {
    Files.createDirectories(sshd.authorizedKeys().getParent());
    Files.writeString(sshd.authorizedKeys(), ssh.key().authorizedKeysLine() + "\n");
  }

  private Distribution distribution() throws IOException {
    return distribution(Optional.empty());
  }

  /**
   * With {@code launchExit}, the distribution's {@code scripts/lib/launch} is a fake that writes
   * its arguments, one a line, to {@code launch-args} in the temp dir and exits with that code.
   */
  private Distribution distribution(Optional<Integer> launchExit) throws IOException {
    Path root = dir.resolve("dist");
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("scripts/lib"));
    Files.writeString(root.resolve("bin/laind"), "#!/bin/sh\necho laind\n");
    root.resolve("bin/laind").toFile().setExecutable(true);
    // The preflight sources java.sh: the real one, so that it finds this machine's JDK.
    Files.copy(Path.of("../../scripts/lib/java.sh"), root.resolve("scripts/lib/java.sh"));
    if (launchExit.isPresent()) {
      Path launch = root.resolve("scripts/lib/launch");
      Files.writeString(
          launch,
          "#!/bin/sh\n"
              + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > "
              + RemoteShell.quote(dir.resolve("launch-args").toString())
              + "\n"
              + "echo '==> [2/4] docker-storage: give the device to Docker'\n"
              + (launchExit.get() == 0
                  ? "echo 'bootstrap finished: 4 step(s) done'\n"
                  : "echo \"error: step 'docker-storage' failed: will not prepare $5\" >&2\n")
              + "exit "
              + launchExit.get()
              + "\n");
      launch.toFile().setExecutable(true);
    }
    Path jar = root.resolve("lain.jar");
    Files.writeString(jar, "not really a jar");
    return Distribution.of(root, jar);
  }

  private NodeJoin joinWithStorage(int launchExit, BootstrapStorageStep.Options options)
      throws IOException {
    Function<String, Function<RemoteShell, AgentStarter>> starters = mode -> shell -> agents;
    return new NodeJoin(
        store,
        ssh,
        distribution(Optional.of(launchExit)),
        BootstrapStorageStep.steps(layout(), options, progress::add),
        starters,
        NodeJoin.PasswordSource.NONE,
        progress::add,
        InstantSource.system(),
        NodeJoin.Sleeper.SYSTEM);
  }

  /**
   * The node's bootstrap is told {@code --no-systemd} where systemd does not run the node, and the
   * test's "node" is this machine.
   */
  private static List<String> withNoSystemdHere(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
      all.add("--no-systemd");
    }
    return all;
  }

  private NodeLayout layout() {
    return new NodeLayout(
        sshd.sandbox.resolve("opt/lain").toString(),
        sshd.sandbox.resolve("run").toString(),
        sshd.sandbox.resolve("log").toString(),
        sshd.sandbox.resolve("data").toString(),
        sshd.sandbox.resolve("units").toString());
  }

  private NodeJoin join(AgentStarter starter, NodeJoin.PasswordSource passwords)
      throws IOException {
    Function<String, Function<RemoteShell, AgentStarter>> starters = mode -> shell -> starter;
    return new NodeJoin(
        store,
        ssh,
        distribution(),
        DockerAlreadyRuns.STEPS,
        starters,
        passwords,
        progress::add,
        InstantSource.system(),
        NodeJoin.Sleeper.SYSTEM);
  }

  private NodeJoin.Request request(List<String> nodes, Optional<String> device, Duration timeout) {
    Path prefix = sshd.sandbox.resolve("opt/lain");
    return new NodeJoin.Request(
        nodes.stream().map(NodeAddress::parse).toList(),
        sshd.port(),
        "root",
        new NodeLayout(
            prefix.toString(),
            sshd.sandbox.resolve("run").toString(),
            sshd.sandbox.resolve("log").toString(),
            sshd.sandbox.resolve("data").toString(),
            sshd.sandbox.resolve("units").toString()),
        Map.of("group", "default"),
        device,
        "embedded:" + dir.resolve("store.db"),
        "pid-file",
        List.of(),
        false,
        timeout,
        Duration.ofSeconds(60));
  }

  private void assertNothingLeftOf(String node) {
    assertThat(new DeploydState(store).nodes()).doesNotContainKey(node);
    assertThat(store.get(DeploydKeys.heartbeat(node))).isEmpty();
    assertThat(store.list(JoinTokens.PREFIX).entries()).isEmpty();
    assertThat(NodeInstalls.load(store, node)).isEmpty();
  }

  @Test
  void joinsANodeThatThenReceivesAnInstance() throws Exception {
    authorizeClusterKey();
    List<NodeInfo> joined =
        join(agents, NodeJoin.PasswordSource.NONE)
            .add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));

    assertThat(joined).extracting(NodeInfo::key).containsExactly("node2:127.0.0.1:" + sshd.port());
    assertThat(sshd.sandbox.resolve("opt/lain/tools/lain-dist/target/lain.jar")).exists();
    assertThat(sshd.sandbox.resolve("opt/lain/bin/laind")).isExecutable();
    assertThat(sshd.sandbox.resolve("opt/lain/etc/lain-node-agent")).doesNotExist(); // in-process
    assertThat(store.list(JoinTokens.PREFIX).entries()).isEmpty(); // redeemed
    assertThat(NodeInstalls.load(store, "node2"))
        .get()
        .extracting(NodeInstall::agentMode)
        .isEqualTo("in-process");
    assertThat(progress).anyMatch(l -> l.contains("preflight: kernel"));
    assertThat(progress).anyMatch(l -> l.contains("joined as node2:127.0.0.1:"));

    Engine engine = startEngine();
    try {
      new DeploydState(store).createPodGroup(PodGroupRecord.deployed(web(1)));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> running().stream().anyMatch(s -> s.node().equals("node2")));
    } finally {
      engine.close();
    }
  }

  @Test
  void aJoiningNodeTakesABlockOfTheContainerNetworkAndRemoveGivesItBack() throws Exception {
    authorizeClusterKey();
    ContainerNetworks networks = new ContainerNetworks(store);
    networks.define(
        new NetworkSettings(new AddressPool(Cidr.parse("172.20.0.0/16"), 24), false), List.of());
    networks.assign("node1", "127.0.0.9");
    registerFakeNode("node1", "127.0.0.9");

    join(agents, NodeJoin.PasswordSource.NONE)
        .add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));

    assertThat(networks.blockOf("node2").map(b -> b.network().toString()))
        .contains("172.20.1.0/24");
    assertThat(progress)
        .contains("[node2:127.0.0.1] take a block of the container network: 172.20.1.0/24");

    ClusterNodes.unregister(store, "node2");
    assertThat(networks.blockOf("node2")).isEmpty();
    assertThat(networks.blockOf("node1")).isPresent();
  }

  @Test
  void anExhaustedContainerNetworkRefusesNodeAddBeforeAnythingChanges() throws Exception {
    authorizeClusterKey();
    ContainerNetworks networks = new ContainerNetworks(store);
    // A /23 cut into /24s: room for two nodes.
    networks.define(
        new NetworkSettings(new AddressPool(Cidr.parse("10.99.0.0/23"), 24), false), List.of());
    networks.assign("node1", "127.0.0.8");
    networks.assign("node9", "127.0.0.9");
    long revision = store.revision();

    assertThatThrownBy(
            () ->
                join(agents, NodeJoin.PasswordSource.NONE)
                    .add(
                        request(
                            List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(5))))
        .hasMessage(
            "the container network 10.99.0.0/23 (a /24 per node) has no free block for 1 new"
                + " node(s): its 2 blocks are held by node1, node9; remove a node first (nothing"
                + " was changed)");
    assertThat(store.revision()).isEqualTo(revision);
    assertThat(progress).isEmpty();
    assertThat(sshd.sandbox.resolve("opt/lain")).doesNotExist();
  }

  @Test
  void aSecondRunSkipsTheFilesTheNodeHasAlready() throws Exception {
    authorizeClusterKey();
    NodeJoin join = join(agents, NodeJoin.PasswordSource.NONE);
    join.add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    ClusterNodes.unregister(store, "node2");
    agents.closeAll();
    progress.clear();
    join.add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    assertThat(progress).anyMatch(l -> l.contains("0 of 3 files copied"));
  }

  @Test
  void aPasswordGivenOnceInstallsTheClusterKey() throws Exception {
    List<NodeAddress> asked = new ArrayList<>();
    NodeJoin join =
        join(
            agents,
            node -> {
              asked.add(node);
              return Optional.of("s3cret".toCharArray());
            });
    join.add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    assertThat(asked).hasSize(1);
    assertThat(Files.readString(sshd.authorizedKeys())).contains(ssh.key().authorizedKeysLine());
    assertThat(String.join("\n", progress)).doesNotContain("s3cret");
    // From now on the key is enough.
    try (RemoteShell shell = ssh.connect(new NodeAddress("node2", "127.0.0.1"), sshd.port())) {
      assertThat(shell.exec("echo hi").out()).isEqualTo("hi\n");
    }
  }

  @Test
  void stoppingAnAgentWhosePidFileNamesAnotherProcessLeavesThatProcessAlone() throws Exception {
    authorizeClusterKey();
    // The agent died and its pid was reused (or /run survived a reboot).
    Process bystander = new ProcessBuilder("sleep", "300").start();
    try (RemoteShell shell = ssh.connect(new NodeAddress("node2", "127.0.0.1"), sshd.port())) {
      NodeLayout layout = layout();
      Files.createDirectories(Path.of(layout.runDir()));
      Files.writeString(Path.of(layout.agentPidFile()), bystander.pid() + "\n");
      AgentLaunch launch =
          new AgentLaunch(
              new NodeAddress("node2", "127.0.0.1"),
              sshd.port(),
              layout,
              "memory:",
              Map.of(),
              List.of(),
              Optional.empty());

      new RemoteAgentStarter(RemoteAgentStarter.Mode.PID_FILE).stop(shell, launch);

      assertThat(bystander.isAlive()).isTrue();
      assertThat(Path.of(layout.agentPidFile())).doesNotExist();
    } finally {
      bystander.destroyForcibly();
    }
  }

  @Test
  void aRefusedKeyWithoutPasswordFailsAtConnectAndSaysHowToInstallTheKey() throws Exception {
    NodeJoin join = join(agents, NodeJoin.PasswordSource.NONE);
    assertThatThrownBy(
            () ->
                join.add(
                    request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(5))))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining("node add node2:127.0.0.1 failed at step 'connect'")
        .hasMessageContaining("ssh-copy-id")
        .extracting(e -> ((RemoteException) e).code())
        .isEqualTo(RemoteException.Code.AUTH_REFUSED);
    assertNothingLeftOf("node2");
  }

  @Test
  void aWrongPasswordIsRefusedToo() throws Exception {
    NodeJoin join = join(agents, node -> Optional.of("wrong".toCharArray()));
    assertThatThrownBy(
            () ->
                join.add(
                    request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(5))))
        .hasMessageContaining("failed at step 'connect'")
        .hasMessageContaining("with the password")
        .hasMessageNotContaining("wrong");
    assertNothingLeftOf("node2");
  }

  @Test
  void anUnreachablePortFailsAtConnect() throws Exception {
    authorizeClusterKey();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    NodeJoin.Request base =
        request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(5));
    NodeJoin.Request request =
        new NodeJoin.Request(
            base.nodes(),
            closed,
            base.sshUser(),
            base.layout(),
            base.labels(),
            base.dockerDevice(),
            base.nodeStoreUrl(),
            base.agentMode(),
            base.agentArgs(),
            false,
            base.registerTimeout(),
            base.tokenTtl());
    NodeJoin join = join(agents, NodeJoin.PasswordSource.NONE);
    assertThatThrownBy(() -> join.add(request))
        .hasMessageContaining("failed at step 'connect'")
        .hasMessageContaining("cannot connect to node node2:127.0.0.1 on SSH port " + closed)
        .extracting(e -> ((RemoteException) e).code())
        .isEqualTo(RemoteException.Code.UNREACHABLE);
    assertNothingLeftOf("node2");
  }

  @Test
  void badNamesAndIpsAreRefusedBeforeAnyConnection() {
    assertThatThrownBy(() -> NodeAddress.parse("node2"))
        .hasMessageContaining("'node2' is not NAME:IP");
    assertThatThrownBy(() -> NodeAddress.parse("-x:10.0.0.1"))
        .hasMessageContaining("bad node name");
    assertThatThrownBy(() -> NodeAddress.parse("node2:10.0.0.256"))
        .hasMessageContaining("bad IP '10.0.0.256' for node node2");
    assertThatThrownBy(() -> NodeAddress.parse("node2:example.com"))
        .hasMessageContaining("not an IP");
    assertThat(NodeAddress.parse("node2:fd00::2").ip()).isEqualTo("fd00::2");
  }

  @Test
  void aNodeAlreadyInTheClusterIsRefused() throws Exception {
    authorizeClusterKey();
    NodeJoin join = join(agents, NodeJoin.PasswordSource.NONE);
    join.add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    assertThatThrownBy(
            () ->
                join.add(
                    request(List.of("node3:127.0.0.1"), Optional.empty(), Duration.ofSeconds(5))))
        .hasMessageContaining("IP 127.0.0.1 of node3:127.0.0.1 belongs to node node2 already");
  }

  @Test
  void theDockerDeviceIsGivenToTheNodesBootstrapWithEveryOptionThenTheNodeJoins() throws Exception {
    authorizeClusterKey();
    NodeJoin join =
        joinWithStorage(
            0,
            new BootstrapStorageStep.Options(
                Optional.of("example.org"),
                Optional.of("https://mirror.example.com"),
                Optional.of("127.0.0.0/8"),
                Optional.of("172.20.0.0/16"),
                true,
                true));

    List<NodeInfo> joined =
        join.add(
            request(List.of("node2:127.0.0.1"), Optional.of("/dev/vdb"), Duration.ofSeconds(20)));

    assertThat(joined).extracting(NodeInfo::key).containsExactly("node2:127.0.0.1:" + sshd.port());
    assertThat(Files.readAllLines(dir.resolve("launch-args")))
        .containsExactly(
            "dev.lain.bootstrap.BootstrapMain",
            "--execute",
            "--storage-only",
            "--docker-device",
            "/dev/vdb",
            "--node-ip",
            "127.0.0.1",
            "--node-network",
            "127.0.0.0/8",
            "--container-network",
            "172.20.0.0/16",
            "--domain",
            "example.org",
            "-m",
            "https://mirror.example.com",
            "--force",
            "--no-systemd");
    assertThat(progress)
        .contains(
            "[node2:127.0.0.1]   ==> [2/4] docker-storage: give the device to Docker",
            "[node2:127.0.0.1] set up Docker on /dev/vdb: done");
    assertThat(NodeInstalls.load(store, "node2").orElseThrow().dockerDevice()).contains("/dev/vdb");
  }

  static Stream<Arguments> withoutClusterOptions() {
    return Stream.of(
        Arguments.of(
            Optional.of("/dev/disk/by-id/it's one"),
            List.of("--docker-device", "/dev/disk/by-id/it's one"),
            "set up Docker on /dev/disk/by-id/it's one: done"),
        Arguments.of(Optional.empty(), List.of(), "set up Docker: done"));
  }

  @ParameterizedTest
  @MethodSource("withoutClusterOptions")
  void withoutClusterOptionsOnlyTheDeviceAndTheNodeIpArePassed(
      Optional<String> device, List<String> deviceArgs, String progressLine) throws Exception {
    authorizeClusterKey();
    joinWithStorage(0, BootstrapStorageStep.Options.defaults())
        .add(request(List.of("node2:127.0.0.1"), device, Duration.ofSeconds(20)));

    List<String> expected =
        new ArrayList<>(List.of("dev.lain.bootstrap.BootstrapMain", "--execute", "--storage-only"));
    expected.addAll(deviceArgs);
    expected.addAll(List.of("--node-ip", "127.0.0.1"));
    assertThat(Files.readAllLines(dir.resolve("launch-args")))
        .containsExactlyElementsOf(withNoSystemdHere(expected.toArray(String[]::new)));
    assertThat(progress).contains("[node2:127.0.0.1] " + progressLine);
  }

  @Test
  void aFailingStorageStepStopsNodeAddNamingItAndLeavesNoKeyOrToken() throws Exception {
    authorizeClusterKey();
    NodeJoin join = joinWithStorage(1, BootstrapStorageStep.Options.defaults());

    assertThatThrownBy(
            () ->
                join.add(
                    request(
                        List.of("node2:127.0.0.1"),
                        Optional.of("/dev/vdb"),
                        Duration.ofSeconds(5))))
        .isInstanceOf(RemoteException.class)
        .hasMessageContaining("node add node2:127.0.0.1 failed at step 'set up Docker on /dev/vdb'")
        .hasMessageContaining("exited 1")
        .hasMessageContaining("error: step 'docker-storage' failed: will not prepare /dev/vdb")
        .hasMessageContaining("nothing on /dev/vdb is undone here")
        .extracting(e -> ((RemoteException) e).code())
        .isEqualTo(RemoteException.Code.STEP_FAILED);
    assertThat(agents.agents).isEmpty();
    assertNothingLeftOf("node2");
    assertThat(store.list("/lain/nodes/").entries()).isEmpty();
  }

  @Test
  void anAgentThatNeverRedeemsItsTokenIsStoppedAndUnregistered() throws Exception {
    authorizeClusterKey();
    InProcessAgentStarter stubborn =
        new InProcessAgentStarter(store, runtime, dir.resolve("data"), false);
    NodeJoin join = join(stubborn, NodeJoin.PasswordSource.NONE);
    assertThatThrownBy(
            () ->
                join.add(
                    request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(2))))
        .hasMessageContaining("failed at step 'wait for the node to register and heartbeat'")
        .extracting(e -> ((RemoteException) e).code())
        .isEqualTo(RemoteException.Code.TIMEOUT);
    assertThat(stubborn.agents).isEmpty();
    assertNothingLeftOf("node2");
  }

  @Test
  void aFailingRemoteCommandNamesTheStepAndTheNode() throws Exception {
    authorizeClusterKey();
    // The prefix is a file: nothing can be copied under it.
    Files.createDirectories(sshd.sandbox.resolve("opt"));
    Files.writeString(sshd.sandbox.resolve("opt/lain"), "in the way");
    NodeJoin join = join(agents, NodeJoin.PasswordSource.NONE);
    assertThatThrownBy(
            () ->
                join.add(
                    request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(5))))
        .hasMessageContaining("node add node2:127.0.0.1 failed at step 'copy the distribution to")
        .hasMessageContaining("cannot write");
    assertNothingLeftOf("node2");
  }

  @Test
  void removeRefusesTheLastNodeAndAStoreNode() throws Exception {
    authorizeClusterKey();
    join(agents, NodeJoin.PasswordSource.NONE)
        .add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    NodeRemove remove = remover();
    assertThatThrownBy(
            () -> remove.remove(new NodeRemove.Request("node2", Set.of(), Duration.ofSeconds(5))))
        .hasMessageContaining("node node2 is the last node of the cluster");
    registerFakeNode("node9", "127.0.0.9");
    assertThatThrownBy(
            () ->
                remove.remove(
                    new NodeRemove.Request("node2", Set.of("127.0.0.1"), Duration.ofSeconds(5))))
        .hasMessageContaining("node node2 runs the cluster store");
    store.put(EtcdMembers.PREFIX + "node2:127.0.0.1:22", "127.0.0.1");
    assertThatThrownBy(
            () -> remove.remove(new NodeRemove.Request("node2", Set.of(), Duration.ofSeconds(5))))
        .hasMessageContaining("is an etcd member");
    assertThatThrownBy(
            () -> remove.remove(new NodeRemove.Request("nodeX", Set.of(), Duration.ofSeconds(5))))
        .hasMessageContaining("no node nodeX; known nodes: node2, node9");
  }

  @Test
  void removeDrainsTheNodeThenStopsItsAgentAndUnregistersIt() throws Exception {
    authorizeClusterKey();
    // Two "machines": the same sandbox answers for both IPs' names (the test nodes share it).
    join(agents, NodeJoin.PasswordSource.NONE)
        .add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    Engine engine = startEngine();
    try {
      new DeploydState(store).createPodGroup(PodGroupRecord.deployed(web(1)));
      await().atMost(Duration.ofSeconds(15)).until(() -> running().size() == 1);
      // A second node to drain to, started in-process beside it.
      agents.start(
          null,
          new AgentLaunch(
              new NodeAddress("node3", "127.0.0.3"),
              22,
              request(List.of("node3:127.0.0.3"), Optional.empty(), Duration.ofSeconds(1)).layout(),
              "unused",
              Map.of("group", "default"),
              List.of(),
              Optional.of(JoinTokens.create(store, "node3", Duration.ofSeconds(30)))));
      await().atMost(Duration.ofSeconds(10)).until(() -> ClusterNodes.alive(store, "node3"));

      remover().remove(new NodeRemove.Request("node2", Set.of(), Duration.ofSeconds(20)));

      assertThat(agents.agents).doesNotContainKey("node2");
      assertNothingLeftOf("node2");
      assertThat(store.get(DeploydKeys.nodeMode("node2"))).isEmpty();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> running().stream().anyMatch(s -> s.node().equals("node3")));
      assertThat(progress).anyMatch(l -> l.contains("[node2] drain: no instance left"));
      // What node add copied is gone, and the prefix with it; the sandbox's other files stay.
      assertThat(sshd.sandbox.resolve("opt/lain")).doesNotExist();
      assertThat(sshd.authorizedKeys()).exists();
      assertThat(progress)
          .anyMatch(
              l ->
                  l.contains("delete the files node add installed: done;")
                      && l.endsWith("is gone"));
    } finally {
      engine.close();
    }
  }

  @Test
  void removeKeepsFilesUnderThePrefixThatNodeAddDidNotInstall() throws Exception {
    authorizeClusterKey();
    join(agents, NodeJoin.PasswordSource.NONE)
        .add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    Path mine = sshd.sandbox.resolve("opt/lain/bin/mine");
    Files.writeString(mine, "not node add's");
    registerFakeNode("node9", "127.0.0.9");

    remover().remove(new NodeRemove.Request("node2", Set.of(), Duration.ofSeconds(5)));

    assertThat(mine).hasContent("not node add's");
    assertThat(sshd.sandbox.resolve("opt/lain/bin/laind")).doesNotExist();
    assertThat(sshd.sandbox.resolve("opt/lain/tools/lain-dist")).doesNotExist();
    assertThat(progress)
        .anyMatch(l -> l.contains("stays: it holds files node add did not install"));
    assertNothingLeftOf("node2");
  }

  @Test
  void removeRefusesToDeleteUnderADangerousRecordedPrefixAndDeletesNothing() throws Exception {
    authorizeClusterKey();
    join(agents, NodeJoin.PasswordSource.NONE)
        .add(request(List.of("node2:127.0.0.1"), Optional.empty(), Duration.ofSeconds(20)));
    registerFakeNode("node9", "127.0.0.9");
    // A crafted record: the same files, but "installed" under /usr.
    NodeInstall real = NodeInstalls.load(store, "node2").orElseThrow();
    NodeLayout layout = real.layout();
    NodeInstalls.save(
        store,
        new NodeInstall(
            real.name(),
            real.ip(),
            real.sshPort(),
            real.sshUser(),
            new NodeLayout(
                "/usr", layout.runDir(), layout.logDir(), layout.dataRoot(), layout.unitDir()),
            real.agentMode(),
            real.dockerDevice(),
            real.labels(),
            real.agentArgs(),
            real.storeUrl(),
            real.files()));
    try (var before = Files.walk(sshd.sandbox.resolve("opt/lain"))) {
      List<Path> files = before.toList();

      remover().remove(new NodeRemove.Request("node2", Set.of(), Duration.ofSeconds(5)));

      try (var after = Files.walk(sshd.sandbox.resolve("opt/lain"))) {
        assertThat(after.toList()).containsExactlyElementsOf(files);
      }
    }
    assertThat(sshd.sandbox.resolve("opt/lain/bin/laind")).exists();
    assertThat(progress)
        .anyMatch(
            l ->
                l.contains(
                        "[node2] warning: will not delete the files of node node2: its prefix"
                            + " '/usr' is a top-level directory")
                    && l.contains("nothing was deleted"));
    // The node is removed all the same.
    assertNothingLeftOf("node2");
  }

  private NodeRemove remover() {
    return new NodeRemove(
        store,
        Optional.of(ssh),
        mode -> agents,
        progress::add,
        InstantSource.system(),
        NodeJoin.Sleeper.SYSTEM);
  }

  private void registerFakeNode(String name, String ip) {
    DeploydState state = new DeploydState(store);
    state.registerNode(new NodeInfo(name, ip, 22, new Resources(1L << 30, 1000), Map.of()));
    state.heartbeat(name, ip, store.grantLease(Duration.ofSeconds(30)).id());
  }

  private Engine startEngine() {
    return Engine.start(
        store,
        Fence.take(store, "/lain/deployd/leader/alone", "test"),
        () -> {},
        new EngineSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), 3),
        InstantSource.system(),
        Duration.ofMillis(200));
  }

  private List<InstanceStatus> running() {
    return new DeploydState(store)
        .snapshot().instances().stream().filter(s -> s.state() == RunState.RUNNING).toList();
  }

  private static PodGroupSpec web(int instances) {
    return new PodGroupSpec(
        "hello.web.web",
        "hello",
        1,
        ContainerSpec.of("hello:v1").withMemoryBytes(64L << 20),
        instances,
        RestartPolicy.ALWAYS,
        List.of(NodeConstraint.DEFAULT_GROUP),
        false,
        new HealthCheck.None(),
        Duration.ZERO,
        Duration.ofSeconds(1));
  }
}
