package dev.lain.bench;

import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.records.RecordException;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.PodGroups;
import dev.lain.store.LeaderElection;
import dev.lain.store.Lease;
import dev.lain.store.LeaseKeeper;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Stores;
import dev.lain.testkit.EtcdCluster;
import dev.lain.testkit.EtcdServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Master failover on real {@code laind master} processes: the leader is killed (SIGKILL) and a
 * change is written right after, again and again; each kill is timed until another master leads and
 * until that change is reconciled (its assignments written). The killed master is started again, as
 * its supervisor would, before the next kill.
 */
@Command(
    name = "lain-bench-failover",
    mixinStandardHelpOptions = true,
    description =
        "Kill -9 the leading master repeatedly, then the etcd leader; print per kill how long until"
            + " another master leads"
            + " and has reconciled a change written right after the kill (goal <= 3 s). Without --store:"
            + " a private etcd cluster on 127.0.0.1.")
public final class FailoverBench implements Callable<Integer> {
  private static final String GROUP = "failover.worker.worker";
  private static final Duration GOAL = Duration.ofSeconds(3);
  private static final String ACKED = "/lain-bench/failover/accepted/";

  private final PrintStream out;

  @Option(names = "--store", paramLabel = "URL", description = "A store to run the masters on.")
  String storeUrl;

  @Option(
      names = "--members",
      description = "etcd members of the private cluster (default ${DEFAULT-VALUE}).")
  int members = 3;

  @Option(names = "--masters", description = "laind master processes (default ${DEFAULT-VALUE}).")
  int masters = 3;

  @Option(names = "--kills", description = "How many leaders to kill (default ${DEFAULT-VALUE}).")
  int kills = 10;

  @Option(
      names = "--etcd-kills",
      description =
          "Then how many times to kill the etcd leader, on the private cluster (default"
              + " ${DEFAULT-VALUE}).")
  int etcdKills = 5;

  @Option(
      names = "--leader-ttl",
      paramLabel = "DURATION",
      description = "The masters' --leader-ttl; empty for laind's default (default: empty).")
  String leaderTtl = "";

  @Option(
      names = "--laind",
      paramLabel = "PATH",
      description = "The laind launcher (default: $LAIN_LAIND, set by bin/lain-bench).")
  String laind = System.getenv("LAIN_LAIND");

  private final Map<String, Process> running = new LinkedHashMap<>();
  private final Map<String, Integer> apiPorts = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path logs;

  FailoverBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new FailoverBench(System.out)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (laind == null || !Files.isExecutable(Path.of(laind))) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--laind: no laind launcher at " + laind);
    }
    if (masters < 2) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--masters: a failover needs at least 2 masters");
    }
    logs = Files.createTempDirectory("lain-failover-bench");
    EtcdCluster etcd = storeUrl == null ? EtcdCluster.start(members) : null;
    String url = etcd != null ? etcd.url() : storeUrl;
    out.printf(
        "store: %s; %d masters; leader TTL %s; logs in %s%n",
        etcd != null ? members + "-member etcd cluster " + url : url,
        masters,
        leaderTtl.isEmpty() ? "laind's default" : leaderTtl,
        logs);
    try (Store store = Stores.open(url);
        LeaseKeeper heartbeats = twoLiveNodes(store)) {
      out.printf("nodes: 2 registered, heartbeat lease %s%n", heartbeats.lease().ttl());
      PodGroups podGroups = new PodGroups(new DeploydState(store));
      if (!podGroups.list(Optional.of("failover")).isEmpty()) {
        podGroups.remove(GROUP);
        awaitAssignments(store, 0, Duration.ofSeconds(30));
      }
      podGroups.create(worker());
      for (int i = 1; i <= masters; i++) {
        start(url, "master-" + i);
      }
      String leader = awaitLeader(store, Optional.empty(), Duration.ofSeconds(60));
      awaitAssignments(store, 1, Duration.ofSeconds(30));
      long[] elected = new long[kills];
      long[] reconciled = new long[kills];
      for (int k = 0; k < kills; k++) {
        awaitStandBys(store, Duration.ofSeconds(60));
        int wanted = k % 2 == 0 ? 2 : 1;
        long killedAt = System.nanoTime();
        running.get(leader).destroyForcibly();
        running.get(leader).waitFor(10, TimeUnit.SECONDS);
        // Written once the leader is gone: only its successor can carry it out.
        podGroups.resize(GROUP, PodGroups.Resize.instances(wanted));
        String next = awaitLeader(store, Optional.of(leader), Duration.ofSeconds(60));
        elected[k] = System.nanoTime() - killedAt;
        awaitFirstPass(next, Duration.ofSeconds(60));
        long firstPass = System.nanoTime() - killedAt;
        awaitAssignments(store, wanted, Duration.ofSeconds(60));
        reconciled[k] = System.nanoTime() - killedAt;
        out.printf(
            "kill %2d: %s killed; %s leads after %.2f s, its engine's first pass ends at %.2f s,"
                + " the change written after the kill is reconciled at %.2f s%n",
            k + 1, leader, next, elected[k] / 1e9, firstPass / 1e9, reconciled[k] / 1e9);
        start(url, leader);
        leader = next;
      }
      out.printf(
          "failover over %d kills: new leader %s; change reconciled %s (goal <= %d s: %s)%n",
          kills,
          spread(elected),
          spread(reconciled),
          GOAL.toSeconds(),
          reconciled[kills - 1] <= GOAL.toNanos() ? "met" : "NOT met");
      if (etcd != null && etcdKills > 0) {
        killEtcdLeaders(etcd, store, podGroups);
      }
      podGroups.remove(GROUP);
      return 0;
    } finally {
      for (Process p : running.values()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      if (etcd != null) {
        etcd.close();
      }
    }
  }

  /**
   * Kills the etcd leader and at once writes a change (retried until a new etcd leader takes it):
   * timed until it is accepted and until the masters have reconciled it. Every accepted write must
   * still be there at the end.
   */
  private void killEtcdLeaders(EtcdCluster etcd, Store store, PodGroups podGroups)
      throws InterruptedException {
    long[] accepted = new long[etcdKills];
    long[] reconciled = new long[etcdKills];
    for (int k = 0; k < etcdKills; k++) {
      awaitStandBys(store, Duration.ofSeconds(60));
      Measure.waitFor(
          () -> etcd.leader().isPresent(), Duration.ofSeconds(30), Duration.ofMillis(50));
      EtcdServer victim = etcd.leader().orElseThrow();
      int wanted = k % 2 == 0 ? 3 : 1;
      long killedAt = System.nanoTime();
      victim.kill();
      long deadline = killedAt + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          podGroups.resize(GROUP, PodGroups.Resize.instances(wanted));
          store.put(ACKED + k, Integer.toString(wanted));
          break;
        } catch (RecordException | StoreException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no write accepted within 30 s of the etcd kill", e);
          }
          Thread.sleep(50);
        }
      }
      accepted[k] = System.nanoTime() - killedAt;
      awaitAssignments(store, wanted, Duration.ofSeconds(60));
      reconciled[k] = System.nanoTime() - killedAt;
      out.printf(
          "etcd kill %d: %s (the raft leader) killed; a change is accepted %.2f s after, reconciled"
              + " at %.2f s by %s%n",
          k + 1,
          victim.name(),
          accepted[k] / 1e9,
          reconciled[k] / 1e9,
          LeaderElection.currentLeader(store, DeploydKeys.LEADER).orElse("(none)"));
      victim.start();
    }
    int kept = store.list(ACKED).entries().size();
    out.printf(
        "etcd leader killed %d times: change accepted %s; reconciled %s; accepted writes kept: %d"
            + " of %d%n",
        etcdKills, spread(accepted), spread(reconciled), kept, etcdKills);
    store.deletePrefix(ACKED);
    if (kept != etcdKills) {
      throw new IllegalStateException("an accepted write was lost");
    }
  }

  /** "p50 x s, max y s" of nanoseconds; sorts them. */
  private static String spread(long[] nanos) {
    Arrays.sort(nanos);
    return String.format(
        "p50 %.2f s, max %.2f s",
        Measure.percentileMillis(nanos, 0.5) / 1e3, nanos[nanos.length - 1] / 1e9);
  }

  private void start(String url, String name) throws IOException {
    int apiPort = freePort();
    apiPorts.put(name, apiPort);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            laind,
            "--store",
            url,
            "master",
            "--listen",
            "127.0.0.1:" + apiPort,
            "--advertise",
            name,
            "--console",
            "127.0.0.1:" + freePort()));
    if (!leaderTtl.isEmpty()) {
      command.addAll(List.of("--leader-ttl", leaderTtl));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
    // bin/lain-bench pointed the launcher at the bench's own jar; laind needs the distribution's.
    builder.environment().remove("LAIN_LAUNCH_JAR");
    running.put(name, builder.start());
  }

  /** Waits until someone other than {@code not} leads; returns who. */
  private String awaitLeader(Store store, Optional<String> not, Duration atMost)
      throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> leader = LeaderElection.currentLeader(store, DeploydKeys.LEADER);
      if (leader.isPresent() && !leader.equals(not)) {
        return leader.get();
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no new leader within " + atMost + "; logs in " + logs);
  }

  /** Waits until the master's engine has made a pass ({@code GET /api/status}). */
  private void awaitFirstPass(String master, Duration atMost) throws InterruptedException {
    URI status = URI.create("http://127.0.0.1:" + apiPorts.get(master) + "/api/status");
    Measure.waitFor(
        () -> {
          try {
            String body =
                http.send(
                        HttpRequest.newBuilder(status).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.contains("\"passes\"") && !body.contains("\"passes\":0");
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        },
        atMost,
        Duration.ofMillis(10));
  }

  private static void awaitAssignments(Store store, int count, Duration atMost)
      throws InterruptedException {
    DeploydState state = new DeploydState(store);
    Measure.waitFor(
        () ->
            state.snapshot().assignments().stream()
                    .filter(a -> a.id().podGroup().equals(GROUP) && a.drainingSince().isEmpty())
                    .count()
                == count,
        atMost,
        Duration.ofMillis(10));
  }

  /** Every master is a candidate in the line, so the next kill has successors. */
  private void awaitStandBys(Store store, Duration atMost) throws InterruptedException {
    Measure.waitFor(
        () ->
            running.values().stream().allMatch(Process::isAlive)
                && store.list(DeploydKeys.LEADER + "/").entries().size() >= masters,
        atMost,
        Duration.ofMillis(50));
  }

  private static LeaseKeeper twoLiveNodes(Store store) {
    DeploydState state = new DeploydState(store);
    Lease lease = store.grantLease(Duration.ofSeconds(10));
    for (int n = 1; n <= 2; n++) {
      state.registerNode(
          new NodeInfo(
              "bench-node" + n,
              "127.0.1." + n,
              22,
              new Resources(1L << 30, 4000),
              Map.of("group", "default")));
      state.heartbeat("bench-node" + n, "127.0.1." + n, lease.id());
    }
    return LeaseKeeper.start(store, lease, () -> {});
  }

  private static PodGroupSpec worker() {
    return new PodGroupSpec(
        GROUP,
        "failover",
        1,
        ContainerSpec.of("registry/failover:v1"),
        1,
        RestartPolicy.ALWAYS,
        List.of(NodeConstraint.DEFAULT_GROUP),
        false,
        new HealthCheck.None(),
        Duration.ZERO,
        Duration.ofSeconds(10));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
