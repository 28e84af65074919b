package dev.lain.bench;

import dev.lain.agent.AgentConfig;
import dev.lain.agent.ContainerLabels;
import dev.lain.agent.NodeAgent;
import dev.lain.deployd.Master;
import dev.lain.deployd.MasterConfig;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import dev.lain.records.deployd.DeploydState;
import dev.lain.runtime.docker.DockerRuntime;
import dev.lain.scheduler.EngineSettings;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Deploy to running on a real Docker engine, image present: the time from writing a pod group to
 * its instance being reported running, over many deploys. Needs root and Debian's docker.io and
 * busybox-static (it starts a private dockerd).
 */
@Command(
    name = "lain-bench-docker-deploy",
    mixinStandardHelpOptions = true,
    description =
        "Deploy -> running latency on a private dockerd (root, docker.io, busybox-static).")
// "try": the agent runs for the scope of its try-with-resources, unreferenced.
@SuppressWarnings("try")
public final class DockerDeployBench implements Callable<Integer> {
  private final PrintStream out;

  @Option(names = "--deploys", description = "How many deploys to time (default ${DEFAULT-VALUE}).")
  int deploys = 30;

  DockerDeployBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DockerDeployBench(System.out)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path tmp = Files.createTempDirectory("lain-docker-bench");
    try (DockerDaemon docker = DockerDaemon.startPrivate();
        Store store = Stores.open("embedded:" + tmp.resolve("store.db"));
        DockerRuntime runtime = DockerRuntime.connect(docker.socketUri())) {
      String image = BusyboxImage.in(docker);
      DeploydState state = new DeploydState(store);
      NodeInfo node =
          new NodeInfo(
              "node1", "127.0.1.1", 22, new Resources(4L << 30, 4000), Map.of("group", "default"));
      try (Master master =
              Master.start(
                  store,
                  new MasterConfig(
                      "127.0.0.1",
                      0,
                      "bench",
                      EngineSettings.DEFAULT,
                      Duration.ofSeconds(1),
                      Duration.ofSeconds(3)),
                  InstantSource.system());
          NodeAgent agent =
              NodeAgent.start(
                  AgentConfig.defaults(node, tmp.resolve("data")),
                  store,
                  runtime,
                  InstantSource.system())) {
        Measure.waitFor(master::leading, Duration.ofSeconds(30), Duration.ofMillis(5));
        Measure.waitFor(
            () -> state.snapshot().alive().contains("node1"),
            Duration.ofSeconds(30),
            Duration.ofMillis(5));
        long[] nanos = new long[deploys];
        for (int i = 0; i < deploys; i++) {
          String name = "bench" + i + ".web.web";
          ContainerSpec container =
              ContainerSpec.of(image)
                  .withCommand(List.of("httpd", "-f", "-p", "8080", "-h", "/www"))
                  .withPort(8080);
          PodGroupSpec spec =
              new PodGroupSpec(
                  name,
                  "bench" + i,
                  1,
                  container,
                  1,
                  RestartPolicy.ALWAYS,
                  List.of(NodeConstraint.DEFAULT_GROUP),
                  false,
                  new HealthCheck.None(),
                  Duration.ZERO,
                  Duration.ofSeconds(2));
          long start = System.nanoTime();
          state.createPodGroup(PodGroupRecord.deployed(spec));
          Measure.waitFor(
              () ->
                  state.instancesOf("node1").stream()
                      .anyMatch(
                          s -> s.id().podGroup().equals(name) && s.state() == RunState.RUNNING),
              Duration.ofSeconds(60),
              Duration.ofMillis(5));
          nanos[i] = System.nanoTime() - start;
          state.removePodGroup(name);
          Measure.waitFor(
              () -> runtime.list(Map.of(ContainerLabels.POD_GROUP, name)).isEmpty(),
              Duration.ofSeconds(60),
              Duration.ofMillis(5));
        }
        Arrays.sort(nanos);
        out.printf(
            "deploy -> running on docker (%d deploys, image present): p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
            deploys,
            Measure.percentileMillis(nanos, 0.5),
            Measure.percentileMillis(nanos, 0.9),
            Measure.percentileMillis(nanos, 0.99),
            nanos[nanos.length - 1] / 1e6);
      }
    }
    return 0;
  }
}
