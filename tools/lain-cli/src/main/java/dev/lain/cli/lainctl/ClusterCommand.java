package dev.lain.cli.lainctl;

import dev.lain.cli.ExitCode;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.router.RouterStatus;
import dev.lain.nodeinstall.ClusterNodes;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.webrouter.SystemRoutes;
import dev.lain.store.LeaderElection;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.StoreMember;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lainctl cluster health}: the store (each etcd member, its role and lag), the master, every
 * node, the webrouters, the registry.
 */
@Command(
    name = "cluster",
    description = "The cluster as a whole.",
    subcommands = {ClusterCommand.Health.class})
final class ClusterCommand extends LainctlGroup {

  @Command(
      name = "health",
      description = {
        "Checks the store (each etcd member: leader, lag, reachable), the deployd leader, every",
        "node's heartbeat and agent API, the",
        "webrouters' reports and the registry (when a master published one). One line each;",
        "exits 1 when anything is unhealthy."
      })
  static final class Health implements Callable<Integer> {
    @ParentCommand ClusterCommand cluster;

    @Override
    public Integer call() {
      LainctlCommand lainctl = cluster.lainctl;
      PrintWriter out = lainctl.context.out();
      boolean healthy = true;
      try (Store store = lainctl.openStore()) {
        long revision = store.revision();
        out.println("ok    store: " + store.backend() + " at revision " + revision);
        if (store.backend().equals("etcd")) {
          healthy &= members(out, store.members());
        }
        Optional<String> leader = LeaderElection.currentLeader(store, DeploydKeys.LEADER);
        healthy &=
            line(
                out,
                leader.isPresent(),
                "deployd leader: " + leader.orElse("none (is laind master running?)"));
        DeploydState state = new DeploydState(store);
        Map<String, NodeInfo> nodes = new TreeMap<>(state.nodes());
        healthy &= line(out, !nodes.isEmpty(), "nodes: " + nodes.size() + " registered");
        for (NodeInfo n : nodes.values()) {
          ClusterNodes.AgentProbe probe = ClusterNodes.probe(store, n, NodeCommand.PROBE_TIMEOUT);
          boolean ok = probe.healthy();
          healthy &=
              line(
                  out,
                  ok,
                  "node "
                      + n.name()
                      + ": heartbeat "
                      + (probe.alive() ? "live" : "missing")
                      + ", agent API "
                      + probe
                          .apiReachable()
                          .map(r -> r ? "reachable" : "unreachable")
                          .orElse("none")
                      + " ("
                      + probe.detail()
                      + "), docker "
                      + probe.docker());
        }
        for (RouterStatus r : state.routers()) {
          healthy &=
              line(
                  out,
                  r.error().isEmpty(),
                  "webrouter "
                      + r.name()
                      + ": revision "
                      + r.appliedRevision()
                      + (r.error().isEmpty() ? "" : ", error: " + r.error()));
        }
        if (state.routers().isEmpty()) {
          out.println("-     webrouters: none reports (laind router)");
        }
        List<String> unreadable = new ArrayList<>();
        Optional<SystemRoutes.SystemRoute> registry =
            SystemRoutes.list(store, unreadable).stream()
                .filter(r -> r.name().equals(SystemRoutes.REGISTRY))
                .findFirst();
        for (String problem : unreadable) {
          healthy &= line(out, false, "registry: " + problem);
        }
        if (registry.isPresent()) {
          healthy &= registry(out, registry.get());
        } else if (unreadable.isEmpty()) {
          out.println("-     registry: none published");
        }
      } catch (StoreException e) {
        out.println("FAIL  store: " + e.getMessage());
        return ExitCode.FAILED;
      }
      return healthy ? ExitCode.OK : ExitCode.FAILED;
    }

    /** One line per etcd member: leader or how far behind it, or why it could not be asked. */
    private static boolean members(PrintWriter out, List<StoreMember> members) {
      OptionalLong leaderIndex =
          members.stream()
              .filter(StoreMember::leader)
              .map(StoreMember::index)
              .filter(OptionalLong::isPresent)
              .findFirst()
              .orElse(OptionalLong.empty());
      boolean healthy =
          line(
              out,
              leaderIndex.isPresent(),
              "store members: "
                  + members.size()
                  + (leaderIndex.isPresent() ? ", one leads" : ", none leads (no quorum?)"));
      for (StoreMember m : members) {
        String role = m.learner() ? "learner" : m.leader() ? "leader" : "follower";
        String state;
        if (m.problem().isPresent()) {
          state = "unreachable: " + m.problem().get();
        } else if (m.leader()) {
          state = role + ", index " + m.index().orElse(0);
        } else {
          long behind =
              leaderIndex.isPresent() && m.index().isPresent()
                  ? Math.max(0, leaderIndex.getAsLong() - m.index().getAsLong())
                  : -1;
          state = role + (behind < 0 ? "" : ", " + behind + " entries behind the leader");
        }
        healthy &=
            line(
                out,
                m.problem().isEmpty(),
                "store member " + m.name() + " " + m.endpoint() + ": " + state);
      }
      return healthy;
    }

    private static boolean line(PrintWriter out, boolean ok, String text) {
      out.println((ok ? "ok    " : "FAIL  ") + text);
      return ok;
    }

    /**
     * The registry answers {@code /v2/} (200, or 401 when it wants a token) at its first backend.
     */
    private static boolean registry(PrintWriter out, SystemRoutes.SystemRoute route) {
      if (route.backends().isEmpty()) {
        return line(out, false, "registry: published without a backend");
      }
      String backend = route.backends().getFirst();
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int status =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://" + backend + "/v2/"))
                        .timeout(Duration.ofSeconds(3))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        return line(
            out,
            status == 200 || status == 401,
            "registry " + backend + ": /v2/ answered " + status);
      } catch (IOException | IllegalArgumentException e) {
        return line(out, false, "registry " + backend + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return line(out, false, "registry " + backend + ": interrupted");
      }
    }
  }
}
