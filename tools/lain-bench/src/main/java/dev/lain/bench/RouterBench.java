package dev.lain.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.sun.net.httpserver.HttpServer;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.deploy.WebSettings;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.records.deployd.DeploydState;
import dev.lain.router.NginxDriver;
import dev.lain.router.RouteTableBuilder;
import dev.lain.router.Router;
import dev.lain.router.render.Listen;
import dev.lain.router.render.NginxRenderer;
import dev.lain.router.render.RenderedConfig;
import dev.lain.router.render.RouteTable;
import dev.lain.router.render.RouterSettings;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.HttpLoad;
import dev.lain.testkit.LoopbackHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The webrouter's figures: rendering the configuration of many apps; how long a change in the store
 * takes to be served by nginx with that many apps configured; requests per second through the
 * router against the same container reached directly. Needs nginx; the last figure needs root and
 * Debian's docker.io and busybox-static (it starts a private dockerd).
 */
@Command(
    name = "lain-bench-router",
    mixinStandardHelpOptions = true,
    description = "Webrouter: render time, change -> served latency, throughput vs direct.")
public final class RouterBench implements Callable<Integer> {
  private static final String NODE = "node1";

  /** The bench's own container network on its private dockerd (a range nothing here uses). */
  private static final String BENCH_SUBNET = "10.218.7.0/24";

  private static final String BENCH_GATEWAY = "10.218.7.1";

  private final PrintStream out;

  @Option(names = "--apps", description = "Web apps configured (default ${DEFAULT-VALUE}).")
  int apps = 1000;

  @Option(names = "--changes", description = "Changes timed (default ${DEFAULT-VALUE}).")
  int changes = 100;

  @Option(
      names = "--seconds",
      description = "Seconds of load per throughput run (default ${DEFAULT-VALUE}).")
  int seconds = 10;

  @Option(names = "--clients", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
  int clients = 8;

  @Option(names = "--nginx", description = "The nginx binary (default ${DEFAULT-VALUE}).")
  Path nginx = Path.of("/usr/sbin/nginx");

  @Option(names = "--skip-docker", description = "Skip the throughput run (it needs Docker).")
  boolean skipDocker;

  RouterBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RouterBench(System.out)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isExecutable(nginx)) {
      out.println("nginx not found at " + nginx + " (apt-get install nginx, or --nginx PATH)");
      return 1;
    }
    Path tmp = Files.createTempDirectory("lain-router-bench");
    HttpServer first = LoopbackHttp.echo("first");
    HttpServer second = LoopbackHttp.echo("second");
    try {
      for (Shape shape : Shape.values()) {
        Path dir = tmp.resolve(shape.name().toLowerCase(Locale.ROOT));
        try (Store store = Stores.open("embedded:" + dir.resolve("store.db"))) {
          DeploydState state = new DeploydState(store);
          out.printf("%n%d apps, %s%n", apps, shape.description);
          populate(state, store, shape, first.getAddress().getPort(), apps);
          renderTime(state, new ClusterConfigStore(store).load());
          changeToServed(
              store,
              state,
              shape,
              dir,
              first.getAddress().getPort(),
              second.getAddress().getPort());
        }
      }
    } finally {
      first.stop(0);
      second.stop(0);
    }
    if (!skipDocker) {
      throughput(tmp);
    }
    return 0;
  }

  private static String app(int i) {
    return "app" + i;
  }

  /** What each app mounts. */
  enum Shape {
    DEFAULTS("each with its default mountpoints (app.lain.local, app.lain)"),
    WITH_PATHS(
        "each with its default mountpoints, a relative /api under each, and its own domain"
            + " app.example.com");

    final String description;

    Shape(String description) {
      this.description = description;
    }
  }

  private static PodGroupSpec spec(String app, Shape shape) {
    return new PodGroupSpec(
            app + ".web.web",
            app,
            1,
            ContainerSpec.of("registry/" + app + ":v1").withPort(8080),
            1,
            RestartPolicy.ALWAYS,
            List.of(NodeConstraint.DEFAULT_GROUP),
            false,
            new HealthCheck.None(),
            Duration.ZERO,
            Duration.ofSeconds(1))
        .withWeb(
            WebSettings.ofText(
                shape == Shape.DEFAULTS ? List.of() : List.of("/api", app + ".example.com"),
                true,
                false));
  }

  private static InstanceStatus running(PodGroupSpec spec, int port) {
    return running(spec, "", 0, port);
  }

  private static InstanceStatus running(PodGroupSpec spec, String address, int port, int hostPort) {
    return new InstanceStatus(
        new InstanceId(spec.name(), 1, 1, 0),
        NODE,
        "127.0.0.1",
        address,
        port,
        hostPort,
        RunState.RUNNING,
        Health.NONE,
        0,
        false,
        0,
        "",
        Instant.now().minusSeconds(60));
  }

  /** {@code count} web apps with one instance each, all answered by {@code port}. */
  private void populate(DeploydState state, Store store, Shape shape, int port, int count) {
    long start = System.nanoTime();
    state.registerNode(
        new NodeInfo(NODE, "127.0.0.1", 22, new Resources(1L << 40, 1_000_000), Map.of()));
    state.heartbeat(NODE, "alive", store.grantLease(Duration.ofHours(1)).id());
    List<Assignment> assignments = new ArrayList<>();
    List<InstanceStatus> statuses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      PodGroupSpec spec = spec(app(i), shape);
      state.createPodGroup(PodGroupRecord.deployed(spec));
      assignments.add(
          new Assignment(
              new InstanceId(spec.name(), 1, 1, 0),
              NODE,
              spec,
              TargetState.RUN,
              0,
              Instant.now(),
              Optional.empty()));
      statuses.add(running(spec, port));
    }
    state.applyAssignments(assignments, List.of());
    state.reportInstances(NODE, statuses, List.of());
    out.printf("%d web apps written to the store in %.1f s%n", count, Measure.secondsSince(start));
  }

  private void renderTime(DeploydState state, ClusterConfig config) {
    DeploydSnapshot snapshot = state.snapshot();
    RouterSettings settings =
        new RouterSettings(
            Listen.any(80),
            Listen.any(443),
            Listen.any(8080),
            Listen.any(8443),
            "/etc/lain/certs",
            "off",
            RouterSettings.Tuning.DEFAULT);
    int rounds = 50;
    long[] build = new long[rounds];
    long[] render = new long[rounds];
    RenderedConfig rendered = null;
    RouteTable table = null;
    for (int warm = 0; warm < 20; warm++) {
      NginxRenderer.render(
          RouteTableBuilder.build(snapshot, config, Set.of(), Instant.now()).table(), settings);
    }
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      table = RouteTableBuilder.build(snapshot, config, Set.of(), Instant.now()).table();
      long t1 = System.nanoTime();
      rendered = NginxRenderer.render(table, settings);
      render[i] = System.nanoTime() - t1;
      build[i] = t1 - t0;
    }
    Arrays.sort(build);
    Arrays.sort(render);
    out.printf(
        "render (%d routes, %d KiB of nginx config): routes from records p50 %.1f ms, p99 %.1f ms;"
            + " nginx config p50 %.1f ms, p99 %.1f ms%n",
        table.routes().size(),
        rendered.httpConf().length() / 1024,
        Measure.percentileMillis(build, 0.5),
        Measure.percentileMillis(build, 0.99),
        Measure.percentileMillis(render, 0.5),
        Measure.percentileMillis(render, 0.99));
  }

  /**
   * Moves one app's instance from the first backend to the other (one store write) and times until
   * nginx answers for that app from the new backend.
   */
  private void changeToServed(
      Store store, DeploydState state, Shape shape, Path tmp, int firstPort, int secondPort)
      throws Exception {
    List<Integer> ports = LoopbackHttp.freePorts(5);
    RouterSettings settings =
        new RouterSettings(
            new Listen("127.0.0.1", ports.get(0)),
            new Listen("127.0.0.1", ports.get(1)),
            new Listen("127.0.0.1", ports.get(2)),
            new Listen("127.0.0.1", ports.get(3)),
            "/unused",
            "off",
            RouterSettings.Tuning.DEFAULT);
    int http = ports.get(0);
    Router router =
        Router.start(
            store,
            Router.Config.defaults("bench"),
            new NginxDriver(nginx, tmp.resolve("router"), settings, "127.0.0.1:" + ports.get(4)),
            InstantSource.system());
    try {
      Measure.waitFor(
          () -> router.status().routes() > 0 && answeredBy(http, app(0), "first"),
          Duration.ofSeconds(60),
          Duration.ofMillis(10));
      Random random = new Random(7);
      long[] nanos = new long[changes];
      for (int i = 0; i < changes; i++) {
        String app = app(random.nextInt(apps));
        boolean toSecond = answeredBy(http, app, "first");
        String want = toSecond ? "second" : "first";
        long start = System.nanoTime();
        state.reportInstances(
            NODE, List.of(running(spec(app, shape), toSecond ? secondPort : firstPort)), List.of());
        Measure.waitFor(
            () -> answeredBy(http, app, want), Duration.ofSeconds(10), Duration.ofMillis(5));
        nanos[i] = System.nanoTime() - start;
        // Separate changes, so each one is timed alone rather than coalesced with the next.
        Thread.sleep(100);
      }
      Arrays.sort(nanos);
      out.printf(
          "change -> served (%d changes, store write to first answer from the new backend): p50"
              + " %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms (router says last %d ms, %d"
              + " reloads)%n",
          changes,
          Measure.percentileMillis(nanos, 0.5),
          Measure.percentileMillis(nanos, 0.9),
          Measure.percentileMillis(nanos, 0.99),
          nanos[nanos.length - 1] / 1e6,
          router.status().effectiveMillis(),
          router.status().reloads());
    } finally {
      router.close();
    }
  }

  private static boolean answeredBy(int port, String app, String backend) {
    try {
      String body = LoopbackHttp.body(LoopbackHttp.get(port, app + ".lain.local", "/"));
      return body.startsWith("name=" + backend + " ");
    } catch (IOException e) {
      return false;
    }
  }

  /** Where the router sends one app's requests, named for the printout. */
  private record Upstream(String name, String address, int port, int hostPort) {}

  /**
   * The same busybox httpd page through the same router, three ways: to the container's own address
   * on a Docker bridge network (the container network's path), to the port Docker publishes on the
   * host (docker-proxy, the path before it), and to busybox httpd run on the host.
   */
  private void throughput(Path tmp) throws Exception {
    try (DockerDaemon docker = DockerDaemon.startPrivate()) {
      String image = BusyboxImage.in(docker);
      DockerClient client = docker.client();
      int publishedPort = LoopbackHttp.freePorts(1).getFirst();
      String network =
          client
              .createNetworkCmd()
              .withName("lain-bench")
              .withDriver("bridge")
              .withIpam(
                  new Network.Ipam()
                      .withConfig(
                          new Network.Ipam.Config()
                              .withSubnet(BENCH_SUBNET)
                              .withGateway(BENCH_GATEWAY)))
              .withOptions(Map.of("com.docker.network.bridge.enable_ip_masquerade", "false"))
              .exec()
              .getId();
      String id =
          client
              .createContainerCmd(image)
              .withName("lain-router-bench")
              .withCmd("httpd", "-f", "-p", "8080", "-h", "/www")
              .withExposedPorts(ExposedPort.tcp(8080))
              .withHostConfig(
                  HostConfig.newHostConfig()
                      .withNetworkMode("lain-bench")
                      .withPortBindings(
                          new PortBinding(
                              Ports.Binding.bindIpAndPort("127.0.0.1", publishedPort),
                              ExposedPort.tcp(8080))))
              .exec()
              .getId();
      client.startContainerCmd(id).exec();
      Path www = Files.createDirectories(tmp.resolve("www"));
      Files.writeString(www.resolve("index.html"), BusyboxImage.INDEX_HTML);
      int hostPort = LoopbackHttp.freePorts(1).getFirst();
      Process hostHttpd =
          new ProcessBuilder(
                  "busybox", "httpd", "-f", "-p", "127.0.0.1:" + hostPort, "-h", www.toString())
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("host-httpd.log").toFile())
              .start();
      try (Store store = Stores.open("embedded:" + tmp.resolve("throughput.db"))) {
        String address =
            client
                .inspectContainerCmd(id)
                .exec()
                .getNetworkSettings()
                .getNetworks()
                .get("lain-bench")
                .getIpAddress();
        List<Upstream> upstreams =
            List.of(
                new Upstream("the container's address " + address + ":8080", address, 8080, 0),
                new Upstream(
                    "the published host port (docker-proxy) 127.0.0.1:" + publishedPort,
                    "",
                    0,
                    publishedPort),
                new Upstream("busybox httpd on the host 127.0.0.1:" + hostPort, "", 0, hostPort));
        DeploydState state = new DeploydState(store);
        state.registerNode(
            new NodeInfo(NODE, "127.0.0.1", 22, new Resources(1L << 40, 1_000_000), Map.of()));
        state.heartbeat(NODE, "alive", store.grantLease(Duration.ofHours(1)).id());
        List<Assignment> assignments = new ArrayList<>();
        List<InstanceStatus> statuses = new ArrayList<>();
        for (int i = 0; i < upstreams.size(); i++) {
          Upstream u = upstreams.get(i);
          PodGroupSpec spec = spec(app(i), Shape.DEFAULTS);
          state.createPodGroup(PodGroupRecord.deployed(spec));
          assignments.add(
              new Assignment(
                  new InstanceId(spec.name(), 1, 1, 0),
                  NODE,
                  spec,
                  TargetState.RUN,
                  0,
                  Instant.now(),
                  Optional.empty()));
          statuses.add(running(spec, u.address(), u.port(), u.hostPort()));
        }
        state.applyAssignments(assignments, List.of());
        state.reportInstances(NODE, statuses, List.of());
        List<Integer> ports = LoopbackHttp.freePorts(5);
        RouterSettings settings =
            new RouterSettings(
                new Listen("127.0.0.1", ports.get(0)),
                new Listen("127.0.0.1", ports.get(1)),
                new Listen("127.0.0.1", ports.get(2)),
                new Listen("127.0.0.1", ports.get(3)),
                "/unused",
                "off",
                RouterSettings.Tuning.DEFAULT);
        int http = ports.get(0);
        Router router =
            Router.start(
                store,
                Router.Config.defaults("throughput"),
                new NginxDriver(
                    nginx, tmp.resolve("throughput-router"), settings, "127.0.0.1:" + ports.get(4)),
                InstantSource.system());
        try {
          for (int i = 0; i < upstreams.size(); i++) {
            String host = app(i) + ".lain.local";
            Measure.waitFor(
                () -> answered(http, host), Duration.ofSeconds(60), Duration.ofMillis(10));
          }
          for (boolean keepAlive : new boolean[] {false, true}) {
            double[] rate = new double[upstreams.size()];
            for (int i = 0; i < upstreams.size(); i++) {
              run(http, app(i) + ".lain.local", 2, keepAlive);
            }
            // Alternate in short rounds so that drift on the machine affects every path alike.
            for (int round = 0; round < 3; round++) {
              for (int i = 0; i < upstreams.size(); i++) {
                rate[i] += run(http, app(i) + ".lain.local", seconds / 3.0, keepAlive) / 3;
              }
            }
            out.printf(
                "throughput through the router, %d clients %s:%n",
                clients,
                keepAlive
                    ? "keeping connections open while the server does (busybox httpd closes each)"
                    : "with a new connection per request");
            for (int i = 0; i < upstreams.size(); i++) {
              out.printf(
                  "  to %-60s %7.0f req/s (%.2f of the host's)%n",
                  upstreams.get(i).name(), rate[i], rate[i] / rate[2]);
            }
            out.printf(
                "  goal: the container's address >= 0.90 of the host's: %s%n",
                rate[0] / rate[2] >= 0.90 ? "met" : "NOT met");
          }
        } finally {
          router.close();
        }
      } finally {
        hostHttpd.destroy();
        client.removeContainerCmd(id).withForce(true).exec();
        client.removeNetworkCmd(network).exec();
      }
    }
  }

  private static boolean answered(int port, String host) {
    try {
      return LoopbackHttp.status(LoopbackHttp.get(port, host, "/index.html")) == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Requests per second over {@code secondsToRun}; fails on any failed request. */
  private double run(int port, String host, double secondsToRun, boolean keepAlive)
      throws InterruptedException {
    HttpLoad load = HttpLoad.start(port, host, "/index.html", clients, keepAlive);
    long start = System.nanoTime();
    Thread.sleep((long) (secondsToRun * 1000));
    HttpLoad.Totals totals = load.stop();
    double elapsed = Measure.secondsSince(start);
    if (totals.failed() > 0) {
      throw new IllegalStateException(
          totals.failed() + " requests failed to " + host + ": " + totals.firstFailures());
    }
    return totals.ok() / elapsed;
  }
}
