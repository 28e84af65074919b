package dev.lain.agent;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.records.deployd.DeploydState;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.RuntimeFailure;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one node, made of its parts: the node's registration and heartbeat ({@link
 * NodeRegistration}), its assignments followed from the store ({@link AssignmentFeed}), the
 * containers made to match them ({@link ContainerSync}) with HTTP health checks ({@link
 * HealthProber}), and the instances' statuses written back ({@link StatusReporter}).
 *
 * <pre>
 *  assignments (watch) ──┐
 *  container events ─────┼─► wake ─► pass: register if needed ─► assignments + containers
 *  probe results ────────┤           ─► ContainerSync: create/start/stop/remove ─► StatusReporter
 *  every {@code resync} ──┘
 * </pre>
 *
 * <p>Containers are recognised by their labels, so after a restart the agent adopts the containers
 * it started before and leaves them running.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  private final AgentConfig config;
  private final ContainerRuntime runtime;
  private final InstantSource clock;
  private final String node;
  private final LinkedBlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
  private final AssignmentFeed assignments;
  private final ContainerSync containers;
  private final StatusReporter statuses;
  private NodeRegistration registration;
  private Thread loop;
  private ContainerRuntime.Subscription events;
  private volatile boolean closed;
  private Optional<AgentApi> api = Optional.empty();
  private volatile NodeInfo advertised;

  private NodeAgent(
      AgentConfig config, Store store, ContainerRuntime runtime, InstantSource clock) {
    this.config = config;
    this.runtime = runtime;
    this.clock = clock;
    this.node = config.node().name();
    this.advertised = config.node();
    this.assignments = new AssignmentFeed(store, node, this::wake);
    this.containers =
        new ContainerSync(config, runtime, new HealthProber(config.node().ip(), this::wake));
    this.statuses = new StatusReporter(new DeploydState(store), node);
  }

  /**
   * Registers the node and starts serving it; with {@link AgentConfig#apiPort()} set, also the
   * agent's API on the node IP, whose port is registered with the node.
   */
  public static NodeAgent start(
      AgentConfig config, Store store, ContainerRuntime runtime, InstantSource clock) {
    NodeAgent agent = new NodeAgent(config, store, runtime, clock);
    agent.events =
        runtime.events(
            event -> {
              if (agent.node.equals(event.labels().get(ContainerLabels.NODE))) {
                agent.wake();
              }
            });
    if (config.apiPort() != AgentConfig.NO_API) {
      try {
        AgentApi api =
            AgentApi.start(config.node().ip(), config.apiPort(), agent.node, runtime, store);
        agent.api = Optional.of(api);
        agent.advertised = config.node().withAgentPort(api.port());
      } catch (RuntimeException e) {
        agent.events.close();
        throw e;
      }
    }
    agent.registration =
        new NodeRegistration(store, agent.advertised, config.heartbeatTtl(), agent::wake);
    agent.loop = Thread.ofPlatform().name("agent " + agent.node).start(agent::run);
    return agent;
  }

  public String node() {
    return node;
  }

  /** How many followed logs its API is streaming now. */
  int apiFollowers() {
    return api.map(AgentApi::following).orElse(0);
  }

  /** The node as registered: with the port its API listens on, if it serves one. */
  public NodeInfo registeredNode() {
    return advertised;
  }

  /** Asks for a pass now. */
  public void wake() {
    wake.offer(Boolean.TRUE);
  }

  /**
   * Stops the agent, leaving its containers running (an agent restart adopts them). Its heartbeat
   * lease runs out by itself.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    wake();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assignments.close();
    events.close();
    registration.close();
    api.ifPresent(AgentApi::close);
  }

  private void run() {
    while (!closed) {
      try {
        pass();
      } catch (StoreException | RuntimeFailure e) {
        log.warn("agent {}: pass failed, retrying: {}", node, e.getMessage());
      } catch (RuntimeException e) {
        log.error("agent {}: pass failed, retrying", node, e);
      }
      try {
        wake.poll(config.resync().toMillis(), TimeUnit.MILLISECONDS);
        wake.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One round: converge the containers to the assignments and report. */
  void pass() {
    registration.ensure();
    Instant now = clock.instant();
    List<Assignment> assigned = assignments.current(now);
    List<ContainerInfo> present = containers.containers();
    Map<InstanceId, InstanceStatus> observed = containers.converge(assigned, present, now);
    statuses.report(observed);
  }
}
