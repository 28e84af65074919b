package dev.lain.nodeinstall;

import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.node.NodeInstall;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.nodes.EtcdMembers;
import dev.lain.records.nodes.NodeInstalls;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code lainctl node remove}: takes a node out of the cluster.
 *
 * <pre>
 *  refuse: unknown node | last node | store member (etcd member, or the node of the embedded store)
 *   └─► drain (mode DRAINING; the engine moves its instances) ─► wait: no assignment left there
 *        └─► stop its agent over SSH, as node add started it ─► delete the files node add
 *            installed ({@link NodeUninstall}) ─► unregister (node key, heartbeat, mode, reports)
 *            ─► forget the install record
 * </pre>
 *
 * A drain that does not finish in time leaves the node draining (and in the cluster), so that a
 * second {@code node remove} carries on. Files that cannot be deleted (or a record whose paths are
 * refused) are a warning: the node is removed all the same, and the files stay.
 */
public final class NodeRemove {

  /**
   * @param storeNodes names or IPs of nodes the store runs on (with the embedded store, the
   *     machine's); they are refused like etcd members
   */
  public record Request(String node, Set<String> storeNodes, Duration drainTimeout) {
    public Request {
      storeNodes = Set.copyOf(storeNodes);
    }
  }

  private final Store store;
  private final DeploydState state;
  private final SshConnector ssh;
  private final Function<String, AgentStarter> starters;
  private final Consumer<String> progress;
  private final InstantSource clock;
  private final NodeJoin.Sleeper sleeper;

  /**
   * @param ssh empty when no node is to be reached (an install record then makes the removal fail)
   * @param starters the starter for an install record's {@link NodeInstall#agentMode()}
   */
  public NodeRemove(
      Store store,
      Optional<SshConnector> ssh,
      Function<String, AgentStarter> starters,
      Consumer<String> progress,
      InstantSource clock,
      NodeJoin.Sleeper sleeper) {
    this.store = store;
    this.state = new DeploydState(store);
    this.ssh = ssh.orElse(null);
    this.starters = starters;
    this.progress = progress;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** The agent starters of {@link RemoteAgentStarter} by their recorded mode. */
  public static Function<String, AgentStarter> remoteStarters() {
    return mode -> new RemoteAgentStarter(RemoteAgentStarter.Mode.of(mode));
  }

  public void remove(Request request) {
    try {
      run(request);
    } catch (StoreException e) {
      throw new RemoteException(
          RemoteException.Code.STORE,
          "node remove " + request.node() + ": the cluster store failed: " + e.getMessage(),
          e);
    }
  }

  private void run(Request request) {
    NodeInfo node = ClusterNodes.find(state, request.node());
    String name = node.name();
    Map<String, NodeInfo> nodes = state.nodes();
    if (nodes.size() <= 1) {
      throw new RemoteException(
          RemoteException.Code.REFUSED,
          "node " + name + " is the last node of the cluster; it cannot be removed");
    }
    if (EtcdMembers.includes(store, name, node.ip())) {
      throw new RemoteException(
          RemoteException.Code.REFUSED,
          "node " + name + " is an etcd member; remove it from the etcd cluster first");
    }
    if (request.storeNodes().contains(name) || request.storeNodes().contains(node.ip())) {
      throw new RemoteException(
          RemoteException.Code.REFUSED,
          "node "
              + name
              + " runs the cluster store ("
              + store.backend()
              + "); it cannot be removed");
    }
    if (nodes.values().stream()
        .noneMatch(n -> !n.name().equals(name) && ClusterNodes.alive(store, n.name()))) {
      throw new RemoteException(
          RemoteException.Code.REFUSED,
          "no other node is alive to take the instances of node " + name);
    }

    progress.accept("[" + name + "] drain ...");
    state.setNodeMode(name, NodeMode.DRAINING);
    Instant deadline = clock.instant().plus(request.drainTimeout());
    int left;
    while ((left = state.assignmentsOf(name).size()) > 0) {
      if (!clock.instant().isBefore(deadline)) {
        throw new RemoteException(
            RemoteException.Code.TIMEOUT,
            "node remove "
                + name
                + ": "
                + left
                + " instance(s) still assigned after "
                + request.drainTimeout().toSeconds()
                + " s; the node stays draining (is a master running? run node remove again)");
      }
      try {
        sleeper.sleep(Duration.ofMillis(200));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RemoteException(RemoteException.Code.TIMEOUT, "interrupted while draining");
      }
    }
    progress.accept("[" + name + "] drain: no instance left");

    Optional<NodeInstall> install = NodeInstalls.load(store, name);
    if (install.isPresent()) {
      stopAgentAndDeleteFiles(install.get());
    } else if (ClusterNodes.alive(store, name)) {
      throw new RemoteException(
          RemoteException.Code.REFUSED,
          "node "
              + name
              + " was not added by node add, and its agent still runs: stop laind agent there,"
              + " then run node remove again (it stays draining)");
    }
    ClusterNodes.unregister(store, name);
    NodeInstalls.delete(store, name);
    progress.accept("[" + name + "] removed");
  }

  private void stopAgentAndDeleteFiles(NodeInstall install) {
    if (ssh == null) {
      throw new RemoteException(
          RemoteException.Code.INVALID,
          "node remove needs SSH to stop the agent of " + install.name());
    }
    NodeAddress address = new NodeAddress(install.name(), install.ip());
    try (RemoteShell shell = ssh.connect(address, install.sshPort())) {
      progress.accept("[" + install.name() + "] stop the agent (" + install.agentMode() + ") ...");
      starters.apply(install.agentMode()).stop(shell, AgentLaunch.of(install));
      progress.accept("[" + install.name() + "] stop the agent: stopped");
      clearHostNetwork(shell, install);
      deleteFiles(shell, install);
    } catch (RemoteException e) {
      throw new RemoteException(
          e.code(),
          "node remove "
              + install.name()
              + " failed at step 'stop the agent' (the node stays draining): "
              + e.getMessage(),
          e);
    }
  }

  /** Never fails the removal: routes or chains that stay are a warning. */
  private void clearHostNetwork(RemoteShell shell, NodeInstall install) {
    boolean ranOnTheNode =
        java.util.Arrays.stream(RemoteAgentStarter.Mode.values())
            .anyMatch(m -> m.word().equals(install.agentMode()));
    if (!ranOnTheNode) {
      // An agent that did not run as laind on the node (tests) never touched its kernel.
      return;
    }
    String step = "[" + install.name() + "] clear the container network's routes and chains";
    progress.accept(step + " ...");
    RemoteShell.Result result =
        shell.exec(RemoteShell.quote(install.layout().prefix()) + "/bin/laind clear-host-network");
    progress.accept(
        result.ok()
            ? step + ": " + result.out().strip()
            : "["
                + install.name()
                + "] warning: cannot clear the container network: "
                + result.tail()
                + "; the node is removed all the same");
  }

  /** Never fails the removal: files that stay are a warning. */
  private void deleteFiles(RemoteShell shell, NodeInstall install) {
    String step = "[" + install.name() + "] delete the files node add installed";
    progress.accept(step + " ...");
    try {
      progress.accept(step + ": " + NodeUninstall.plan(install).run(shell));
    } catch (RemoteException e) {
      progress.accept(
          "["
              + install.name()
              + "] warning: "
              + e.getMessage()
              + "; the node is removed all the same");
    }
  }
}
