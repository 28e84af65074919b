package dev.lain.agent;

import dev.lain.model.deploy.NodeInfo;
import dev.lain.records.deployd.DeploydState;
import dev.lain.store.Lease;
import dev.lain.store.LeaseKeeper;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's record and its heartbeat: registered when the agent starts and again whenever the
 * heartbeat lease is lost (the store was away longer than its TTL).
 */
final class NodeRegistration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);

  private final Store store;
  private final DeploydState state;
  private final NodeInfo node;
  private final Duration heartbeatTtl;
  private final Runnable onLeaseLost;
  private final AtomicBoolean needed = new AtomicBoolean(true);
  private LeaseKeeper keeper;

  /**
   * @param node the node as this agent advertises it
   * @param onLeaseLost told when the heartbeat lease is gone (the next {@link #ensure} registers
   *     again)
   */
  NodeRegistration(Store store, NodeInfo node, Duration heartbeatTtl, Runnable onLeaseLost) {
    this.store = store;
    this.state = new DeploydState(store);
    this.node = node;
    this.heartbeatTtl = heartbeatTtl;
    this.onLeaseLost = onLeaseLost;
  }

  /** Registers the node and starts its heartbeat, unless it is registered and beating. */
  void ensure() {
    if (!needed.getAndSet(false)) {
      return;
    }
    try {
      register();
    } catch (StoreException e) {
      needed.set(true);
      throw e;
    }
  }

  private void register() {
    // Once registered, a node's labels are the operator's (lainctl node change-labels): a restarted
    // agent keeps them instead of putting back the ones it was started with.
    NodeInfo registered = state.nodes().get(node.name());
    state.registerNode(registered == null ? node : node.withLabels(registered.labels()));
    Lease lease = store.grantLease(heartbeatTtl);
    state.heartbeat(node.name(), node.ip(), lease.id());
    LeaseKeeper previous = keeper;
    keeper =
        LeaseKeeper.start(
            store,
            lease,
            () -> {
              needed.set(true);
              onLeaseLost.run();
            });
    if (previous != null) {
      previous.close();
    }
    log.info(
        "agent {}: registered {} (agent API port {}) with heartbeat lease {}",
        node.name(),
        node.key(),
        node.hasAgentApi() ? node.agentPort() : "none",
        Long.toHexString(lease.id()));
  }

  /** Stops the heartbeat; its lease runs out by itself. */
  @Override
  public void close() {
    if (keeper != null) {
      keeper.close();
    }
  }
}
