package dev.lain.bench;

import dev.lain.agent.AgentConfig;
import dev.lain.agent.NodeAgent;
import dev.lain.deployd.Engine;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.runtime.FakeRuntime;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Fence;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.EtcdServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Desired to running through the real store: the engine and many simulated node agents (each on its
 * own fake container runtime) in one process. Measures how fast instances go from written pod
 * groups to reported running.
 */
@Command(
    name = "lain-bench-deployd",
    mixinStandardHelpOptions = true,
    description =
        "Desired -> running throughput with simulated agents. Without --store: the embedded store in"
            + " a temporary file, then a private etcd on 127.0.0.1.")
public final class DeploydBench implements Callable<Integer> {
  private final PrintStream out;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description = "A store URL to measure (repeatable).")
  List<String> stores = new ArrayList<>();

  @Option(names = "--agents", description = "Simulated nodes (default ${DEFAULT-VALUE}).")
  int agents = 1000;

  @Option(names = "--groups", description = "Pod groups (default ${DEFAULT-VALUE}).")
  int groups = 200;

  @Option(
      names = "--instances",
      description = "Instances per pod group (default ${DEFAULT-VALUE}).")
  int instancesPerGroup = 50;

  DeploydBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DeploydBench(System.out)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> urls = new ArrayList<>(stores);
    Path tmp = Files.createTempDirectory("lain-deployd-bench");
    EtcdServer etcd = null;
    try {
      if (urls.isEmpty()) {
        urls.add("embedded:" + tmp.resolve("store.db"));
        etcd = EtcdServer.startPrivate();
        urls.add(etcd.url());
      }
      out.printf(
          "agents=%d pod groups=%d x %d instances (%d in all), %d CPUs, Java %s%n",
          agents,
          groups,
          instancesPerGroup,
          groups * instancesPerGroup,
          Runtime.getRuntime().availableProcessors(),
          Runtime.version());
      for (String url : urls) {
        try (Store store = Stores.open(url)) {
          measure(store, tmp);
        }
      }
      return 0;
    } finally {
      if (etcd != null) {
        etcd.close();
      }
    }
  }

  private void measure(Store store, Path tmp) throws InterruptedException {
    DeploydState state = new DeploydState(store);
    List<NodeAgent> running = new ArrayList<>();
    List<FakeRuntime> runtimes = new ArrayList<>();
    Engine engine = null;
    try {
      long startAgents = System.nanoTime();
      for (int n = 0; n < agents; n++) {
        FakeRuntime runtime = new FakeRuntime(InstantSource.system());
        runtime.addImage("bench/app:1");
        runtimes.add(runtime);
        NodeInfo node =
            new NodeInfo(
                String.format("node%05d", n),
                "127.0." + (1 + n / 250) + "." + (1 + n % 250),
                22,
                new Resources(64L << 30, 64_000),
                Map.of("group", "default"));
        AgentConfig config =
            AgentConfig.defaults(node, tmp.resolve("data"))
                .withTimings(
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30));
        running.add(NodeAgent.start(config, store, runtime, InstantSource.system()));
      }
      Measure.waitFor(
          () -> store.list(DeploydKeys.HEARTBEATS).entries().size() == agents,
          Duration.ofMinutes(5),
          Duration.ofMillis(100));
      double agentsUp = Measure.secondsSince(startAgents);
      engine =
          Engine.start(
              store,
              Fence.take(store, "/lain/deployd/leader/alone", "bench"),
              () -> {},
              new EngineSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), 3),
              InstantSource.system(),
              Duration.ofMillis(500));

      int total = groups * instancesPerGroup;
      long start = System.nanoTime();
      // Many deploys at once, as from many API calls.
      try (ExecutorService writers =
          Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
        for (int g = 0; g < groups; g++) {
          String app = String.format("app%04d", g);
          writers.submit(
              () -> {
                ContainerSpec container =
                    ContainerSpec.of("bench/app:1").withMemoryBytes(64L << 20);
                state.createPodGroup(
                    PodGroupRecord.deployed(
                        new PodGroupSpec(
                            app + ".worker.worker",
                            app,
                            1,
                            container,
                            instancesPerGroup,
                            RestartPolicy.ALWAYS,
                            List.of(NodeConstraint.DEFAULT_GROUP),
                            false,
                            new HealthCheck.None(),
                            Duration.ZERO,
                            Duration.ofSeconds(10))));
              });
        }
      }
      Measure.waitFor(
          () -> store.list(DeploydKeys.ASSIGNMENTS).entries().size() >= total,
          Duration.ofMinutes(10),
          Duration.ofMillis(100));
      double assigned = Measure.secondsSince(start);
      Measure.waitFor(
          () -> runningInstances(store) >= total, Duration.ofMinutes(10), Duration.ofMillis(100));
      double took = Measure.secondsSince(start);
      out.printf(
          "%-9s %d instances running %.2f s after being desired: %.0f instances/s (all assigned after %.2f s;"
              + " %d agents registered in %.1f s)%n",
          store.backend(), total, took, total / took, assigned, agents, agentsUp);
      out.println("  engine: " + engine.status());
    } finally {
      if (engine != null) {
        engine.close();
      }
      running.parallelStream().forEach(NodeAgent::close);
      runtimes.forEach(FakeRuntime::close);
      store.deletePrefix("/lain/");
    }
  }

  private static long runningInstances(Store store) {
    long count = 0;
    for (KeyValue kv : store.list(DeploydKeys.INSTANCES).entries()) {
      if (kv.value().contains("\"state\":\"RUNNING\"")) {
        count++;
      }
    }
    return count;
  }
}
