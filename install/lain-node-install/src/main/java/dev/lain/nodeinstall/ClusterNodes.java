package dev.lain.nodeinstall;

import dev.lain.agent.AgentClient;
import dev.lain.agent.AgentException;
import dev.lain.agent.AgentHealth;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registered nodes: finding one by name or IP, probing their agents, unregistering. */
public final class ClusterNodes {
  private ClusterNodes() {}

  /**
   * The node named {@code nameOrIp}, or with that IP; an unknown one is an {@code INVALID} error
   * that names the known nodes.
   */
  public static NodeInfo find(DeploydState state, String nameOrIp) {
    Map<String, NodeInfo> nodes = state.nodes();
    NodeInfo byName = nodes.get(nameOrIp);
    if (byName != null) {
      return byName;
    }
    List<NodeInfo> byIp = nodes.values().stream().filter(n -> n.ip().equals(nameOrIp)).toList();
    if (byIp.size() == 1) {
      return byIp.getFirst();
    }
    throw new RemoteException(
        RemoteException.Code.INVALID,
        "no node "
            + nameOrIp
            + (nodes.isEmpty()
                ? "; no node is registered"
                : "; known nodes: "
                    + String.join(", ", nodes.keySet().stream().sorted().toList())));
  }

  /** Whether the node's heartbeat lease is live. */
  public static boolean alive(Store store, String node) {
    return store.get(DeploydKeys.heartbeat(node)).isPresent();
  }

  /**
   * What a health check found about one node's agent.
   *
   * @param alive whether its heartbeat lease is live
   * @param apiReachable whether its agent API answered; empty when it advertises none
   * @param detail where the API is, or why it did not answer
   * @param dockerOk whether its container engine answered the agent; empty when not known (no API,
   *     or the agent did not answer)
   * @param docker the engine as shown: {@code ok (27.3.1)}, {@code unreachable (why)}, {@code agent
   *     unreachable}, {@code not reported (...)}
   */
  public record AgentProbe(
      boolean alive,
      Optional<Boolean> apiReachable,
      String detail,
      Optional<Boolean> dockerOk,
      String docker) {
    /** Heartbeat live, and the agent API and its engine answering where there is an API. */
    public boolean healthy() {
      return alive && apiReachable.orElse(true) && dockerOk.orElse(true);
    }
  }

  /**
   * The node's heartbeat and what its agent API says about its container engine ({@code GET
   * /api/health}), waiting {@code timeout} for the answer.
   */
  public static AgentProbe probe(Store store, NodeInfo node, Duration timeout) {
    boolean alive = alive(store, node.name());
    if (!node.hasAgentApi()) {
      return new AgentProbe(
          alive,
          Optional.empty(),
          "the agent advertises no API",
          Optional.empty(),
          "not reported (no agent API)");
    }
    String where = node.ip() + ":" + node.agentPort();
    try {
      AgentHealth health = new AgentClient(store, timeout).health(node);
      String docker =
          health.docker()
              + (health.dockerReachable()
                  ? (health.dockerVersion().isEmpty() ? "" : " (" + health.dockerVersion() + ")")
                  : (health.detail().isEmpty() ? "" : " (" + health.detail() + ")"));
      return new AgentProbe(
          alive, Optional.of(true), where, Optional.of(health.dockerReachable()), docker);
    } catch (AgentException e) {
      if (e.code() == AgentException.Code.UNREACHABLE) {
        return new AgentProbe(
            alive, Optional.of(false), e.getMessage(), Optional.empty(), "agent unreachable");
      }
      // It answered, but refused (a token from another cluster, a store it cannot read).
      return new AgentProbe(
          alive, Optional.of(true), where, Optional.of(false), "not reported: " + e.getMessage());
    }
  }

  /**
   * Removes every trace of {@code node} that its agent and the engine keep: the node key, its
   * heartbeat, mode, reported instances and leftover assignments.
   */
  public static void unregister(Store store, String node) {
    List<Txn.Operation> ops = new ArrayList<>();
    store.list(DeploydKeys.NODES).entries().stream()
        .filter(kv -> kv.key().substring(DeploydKeys.NODES.length()).startsWith(node + ":"))
        .forEach(kv -> ops.add(new Txn.Delete(kv.key())));
    ops.add(new Txn.Delete(DeploydKeys.heartbeat(node)));
    ops.add(new Txn.Delete(DeploydKeys.nodeMode(node)));
    store.commit(Txn.always(ops));
    store.deletePrefix(DeploydKeys.instancesOf(node));
    store.deletePrefix(DeploydKeys.assignmentsOf(node));
    // Every other node's agent drops its routes to the block when the record goes.
    new ContainerNetworks(store).release(node);
  }

  /** Names of the registered nodes, sorted. */
  public static List<String> names(DeploydState state) {
    return state.nodes().keySet().stream().sorted(Comparator.naturalOrder()).toList();
  }
}
