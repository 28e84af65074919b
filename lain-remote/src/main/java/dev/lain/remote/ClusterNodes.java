package dev.lain.remote;

import dev.lain.cluster.state.DeploydKeys;
import dev.lain.cluster.state.DeploydState;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

  /** What a health check found about one node's agent. */
  public record AgentProbe(boolean alive, Optional<Boolean> apiReachable, String detail) {}

  /**
   * The node's heartbeat and whether its agent API accepts a connection within {@code timeout}
   * (empty when the agent advertises no API).
   */
  public static AgentProbe probe(Store store, NodeInfo node, Duration timeout) {
    boolean alive = alive(store, node.name());
    if (!node.hasAgentApi()) {
      return new AgentProbe(alive, Optional.empty(), "the agent advertises no API");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(node.ip(), node.agentPort()), (int) timeout.toMillis());
      return new AgentProbe(alive, Optional.of(true), node.ip() + ":" + node.agentPort());
    } catch (IOException e) {
      return new AgentProbe(
          alive,
          Optional.of(false),
          "cannot connect to " + node.ip() + ":" + node.agentPort() + ": " + e.getMessage());
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
  }

  /** Names of the registered nodes, sorted. */
  public static List<String> names(DeploydState state) {
    return state.nodes().keySet().stream().sorted(Comparator.naturalOrder()).toList();
  }
}
