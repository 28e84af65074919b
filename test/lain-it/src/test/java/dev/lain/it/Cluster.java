package dev.lain.it;

import com.github.dockerjava.api.model.Container;
import dev.lain.deployd.Master;
import dev.lain.deployd.MasterConfig;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.WebSettings;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.PodGroupNames;
import dev.lain.router.NginxDriver;
import dev.lain.router.Router;
import dev.lain.router.render.Listen;
import dev.lain.router.render.RouterSettings;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.LoopbackHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A small cluster on this machine: a master in the test's JVM and node agents as separate {@code
 * laind agent} processes (so they can be killed for real), each with its own node name and node IP
 * in 127.0.1.0/24, all sharing one private dockerd and one embedded store file.
 */
final class Cluster implements AutoCloseable {
  static final Duration HEARTBEAT = Duration.ofSeconds(3);
  static final Duration GRACE = Duration.ofSeconds(3);

  final Path dir;
  final DockerDaemon docker;
  final String storeUrl;
  final Store store;
  final DeploydState state;
  final Master master;
  private final Map<Integer, Process> agents = new HashMap<>();

  Cluster(Path dir, DockerDaemon docker) {
    this.dir = dir;
    this.docker = docker;
    this.storeUrl = "embedded:" + dir.resolve("store.db");
    this.store = Stores.open(storeUrl);
    this.state = new DeploydState(store);
    this.master =
        Master.start(
            store,
            new MasterConfig(
                "127.0.0.1",
                0,
                "it-master",
                new EngineSettings(GRACE, Duration.ofSeconds(15), 3),
                Duration.ofMillis(300),
                Duration.ofSeconds(3)),
            InstantSource.system());
  }

  /**
   * A web proc of busybox httpd on port 8080, healthy once it serves /index.html, drained for 2 s
   * before it stops.
   */
  static PodGroupSpec busyboxWeb(String podGroup, String image, int instances) {
    ContainerSpec container =
        ContainerSpec.of(image)
            .withCommand(List.of("httpd", "-f", "-p", "8080", "-h", "/www"))
            .withPort(8080)
            .withMemoryBytes(32L << 20);
    return new PodGroupSpec(
            podGroup,
            PodGroupNames.appOf(podGroup),
            1,
            container,
            instances,
            RestartPolicy.ALWAYS,
            List.of(NodeConstraint.DEFAULT_GROUP),
            false,
            new HealthCheck.Http("/index.html", Duration.ofSeconds(1), Duration.ofSeconds(1), 2),
            Duration.ZERO,
            Duration.ofSeconds(2))
        .withWeb(WebSettings.ofText(List.of(), true, false));
  }

  /** The containers of a pod group, running or not. */
  static List<Container> containers(DockerDaemon docker, String podGroup) {
    return docker
        .client()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("cc.bdp.lain.deployd.pg_name", podGroup))
        .exec();
  }

  /** Each container of a pod group with when Docker last started it. */
  static Map<String, String> startTimes(DockerDaemon docker, String podGroup) {
    return containers(docker, podGroup).stream()
        .collect(
            Collectors.toMap(
                c -> c.getNames()[0],
                c ->
                    docker
                        .client()
                        .inspectContainerCmd(c.getId())
                        .exec()
                        .getState()
                        .getStartedAt()));
  }

  /** Starts (or restarts) the agent of node {@code n}: node{n} on 127.0.1.{n}. */
  Process startAgent(int n) throws IOException {
    List<String> args = new ArrayList<>(List.of("--store", storeUrl, "agent"));
    args.addAll(agentOptions(dir, docker, n));
    Process process = laind(dir.resolve("agent" + n + ".log"), args);
    agents.put(n, process);
    return process;
  }

  /** A {@code laind} process of the distribution jar, its output appended to {@code log}. */
  static Process laind(Path log, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("lain.dist.jar"));
    command.add("dev.lain.daemon.LaindMain");
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** The agent options of node {@code n} (node{n} on 127.0.1.{n}, its own host port range). */
  static List<String> agentOptions(Path dir, DockerDaemon docker, int n) {
    return List.of(
        "--node-name",
        "node" + n,
        "--node-ip",
        "127.0.1." + n,
        "--memory",
        "1g",
        "--cpus",
        "2",
        "--data-root",
        dir.resolve("node" + n).toString(),
        "--docker",
        docker.socketUri().toString(),
        "--port-range",
        (20000 + n * 1000) + "-" + (20000 + n * 1000 + 999),
        "--heartbeat-ttl",
        HEARTBEAT.toSeconds() + "s",
        "--agent-port",
        "0");
  }

  /** A webrouter with its own nginx on free loopback ports, following this cluster's store. */
  record Web(Router router, int http) implements AutoCloseable {
    @Override
    public void close() {
      router.close();
    }
  }

  Web startRouter(Path nginx, RouterSettings.Tuning tuning) {
    return startRouter(store, dir, nginx, tuning);
  }

  /** A webrouter following {@code store}, its nginx under {@code dir}/router. */
  static Web startRouter(Store store, Path dir, Path nginx, RouterSettings.Tuning tuning) {
    List<Integer> ports = LoopbackHttp.freePorts(5);
    RouterSettings settings =
        new RouterSettings(
            new Listen("127.0.0.1", ports.get(0)),
            new Listen("127.0.0.1", ports.get(1)),
            new Listen("127.0.0.1", ports.get(2)),
            new Listen("127.0.0.1", ports.get(3)),
            "/unused",
            "off",
            tuning);
    Router router =
        Router.start(
            store,
            Router.Config.defaults("it-router"),
            new NginxDriver(nginx, dir.resolve("router"), settings, "127.0.0.1:" + ports.get(4)),
            InstantSource.system());
    return new Web(router, ports.get(0));
  }

  /** {@code kill -9} of an agent process. */
  void killAgent(int n) throws InterruptedException {
    Process process = agents.remove(n);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String agentLog(int n) {
    try {
      return Files.readString(dir.resolve("agent" + n + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    for (Process p : agents.values()) {
      p.destroy();
    }
    for (Process p : agents.values()) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    master.close();
    store.close();
  }
}
