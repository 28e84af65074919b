package dev.lain.agent;

import dev.lain.hostnetwork.HostNetworkException;
import dev.lain.hostnetwork.HostNetworkPlan;
import dev.lain.hostnetwork.LinuxHostNetwork;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.NetworkInfo;
import dev.lain.runtime.NetworkSpec;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part of the container network: it holds the node's block of the pool (taking it if
 * bootstrap or {@code node add} has not), the Docker network on that block that instances join, and
 * the kernel's routes, tunnel and firewall for every block (lain-host-network). It follows the
 * network's records by a watch and checks the kernel again every {@link #RECHECK}, changing only
 * what differs, so a restarted agent changes nothing that is right.
 */
final class NodeNetwork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeNetwork.class);

  /** The Docker network instances join on every node. */
  static final String DOCKER_NETWORK = "lain";

  /** How often the kernel is compared with the plan even when no record changed. */
  static final Duration RECHECK = Duration.ofSeconds(30);

  /** A node without a kernel adapter (tests on the fake runtime) plans with this MTU. */
  static final int DEFAULT_MTU = 1500;

  private final Store store;
  private final ContainerNetworks networks;
  private final ContainerRuntime runtime;
  private final Optional<LinuxHostNetwork> host;
  private final NodeInfo node;
  private final List<Integer> routerPorts;
  private final Runnable onChange;
  private final AtomicBoolean dirty = new AtomicBoolean(true);
  private final AtomicBoolean rewatch = new AtomicBoolean(true);
  private List<Watch> watches = List.of();
  private Instant checked;
  private Optional<String> joined = Optional.empty();
  private String lastProblem = "";

  /**
   * @param host the kernel adapter; empty where the agent must not touch the machine's network
   * @param onChange told when a network record changed (from the watch's thread)
   */
  NodeNetwork(
      Store store,
      ContainerRuntime runtime,
      Optional<LinuxHostNetwork> host,
      NodeInfo node,
      List<Integer> routerPorts,
      Runnable onChange) {
    this.store = store;
    this.networks = new ContainerNetworks(store);
    this.runtime = runtime;
    this.host = host;
    this.node = node;
    this.routerPorts = List.copyOf(routerPorts);
    this.onChange = onChange;
  }

  /**
   * Brings the node's network to what the records say, when they changed or a recheck is due; the
   * Docker network instances join, empty while the cluster has no container network (instances then
   * publish host ports, as before it had one).
   */
  Optional<String> ensure(Instant now) {
    if (rewatch.getAndSet(false)) {
      watch();
    }
    if (!dirty.getAndSet(false) && checked != null && now.isBefore(checked.plus(RECHECK))) {
      return joined;
    }
    checked = now;
    try {
      Optional<NetworkSettings> settings = networks.settings();
      if (settings.isEmpty()) {
        joined = Optional.empty();
        return joined;
      }
      NodeBlock own =
          networks.blockOf(node.name()).orElseGet(() -> networks.assign(node.name(), node.ip()));
      int mtu = host.map(h -> h.uplinkMtu(node.ip())).orElse(DEFAULT_MTU);
      HostNetworkPlan plan =
          HostNetworkPlan.of(node.name(), settings.get(), networks.blocks(), mtu, routerPorts);
      dockerNetwork(own, plan.bridgeMtu());
      joined = Optional.of(DOCKER_NETWORK);
      host.ifPresent(
          h -> {
            List<String> changes = h.apply(plan);
            if (!changes.isEmpty()) {
              log.info("agent {}: network: {}", node.name(), String.join("; ", changes));
            }
          });
      lastProblem = "";
    } catch (HostNetworkException | StoreException e) {
      dirty.set(true);
      if (!e.getMessage().equals(lastProblem)) {
        log.warn("agent {}: container network: {}", node.name(), e.getMessage());
        lastProblem = e.getMessage();
      }
    }
    return joined;
  }

  private void dockerNetwork(NodeBlock own, int mtu) {
    NetworkSpec spec =
        new NetworkSpec(
            DOCKER_NETWORK,
            own.network().toString(),
            own.gateway(),
            HostNetworkPlan.BRIDGE,
            mtu,
            false,
            Map.of(ContainerLabels.NODE, node.name()));
    Optional<NetworkInfo> existing = runtime.network(DOCKER_NETWORK);
    if (existing.isPresent() && !existing.get().matches(spec)) {
      // A new block (the node left and came back) or a new MTU (the tunnel turned on or off):
      // addresses on the old one are wrong, so its containers are made again on the new one.
      log.warn(
          "agent {}: Docker network {} {}: recreating it and its containers",
          node.name(),
          DOCKER_NETWORK,
          existing.get().mismatch(spec));
      for (ContainerInfo c : runtime.list(Map.of(ContainerLabels.NODE, node.name()))) {
        if (c.addresses().containsKey(DOCKER_NETWORK)) {
          if (c.state() == ContainerState.RUNNING) {
            runtime.stop(c.id(), ContainerLabels.killTimeoutOf(c.labels()));
          }
          runtime.remove(c.id());
        }
      }
      runtime.removeNetwork(DOCKER_NETWORK);
    }
    runtime.ensureNetwork(spec);
  }

  private void watch() {
    watches.forEach(Watch::close);
    long from = store.revision() + 1;
    WatchListener listener =
        new WatchListener() {
          @Override
          public void onEvents(List<WatchEvent> events) {
            dirty.set(true);
            onChange.run();
          }

          @Override
          public void onCompacted(long compactRevision) {
            rewatch.set(true);
            dirty.set(true);
            onChange.run();
          }

          @Override
          public void onClosed(StoreException cause) {
            rewatch.set(true);
            dirty.set(true);
          }
        };
    watches =
        List.of(
            store.watch(ContainerNetworks.SETTINGS_KEY, from, listener),
            store.watch(ContainerNetworks.BLOCKS_PREFIX, from, listener));
    dirty.set(true);
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
