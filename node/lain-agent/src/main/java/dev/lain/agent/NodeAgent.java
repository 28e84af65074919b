package dev.lain.agent;

import dev.lain.controller.Backoff;
import dev.lain.controller.Controller;
import dev.lain.controller.Result;
import dev.lain.hostnetwork.LinuxHostNetwork;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.records.deployd.DeploydState;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.RuntimeFailure;
import dev.lain.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent of one node, made of its parts: the node's registration and heartbeat ({@link
 * NodeRegistration}), its assignments followed from the store ({@link AssignmentFeed}), the
 * containers made to match them ({@link ContainerSync}) with HTTP health checks ({@link
 * HealthProber}), and the instances' statuses written back ({@link StatusReporter}).
 *
 * <p>It runs on lain-controller's skeleton with one key, the node: every source of change queues
 * it, a burst becomes one pass, a failed pass (store or Docker away) is retried with back-off.
 *
 * <pre>
 *  assignments (watch) ──┐
 *  network records (watch)┤
 *  container events ─────┼─► enqueue(node) ─► sync: register if needed ─► NodeNetwork (block,
 *  probe results ────────┤                    Docker network, routes) ─► assignments + containers
 *  every {@code resync} ──┘                    ─► ContainerSync: create/start/stop/remove
 *                                              ─► StatusReporter
 * </pre>
 *
 * <p>Containers are recognised by their labels, so after a restart the agent adopts the containers
 * it started before and leaves them running.
 */
public final class NodeAgent implements AutoCloseable {
  private final AgentConfig config;
  private final ContainerRuntime runtime;
  private final InstantSource clock;
  private final String node;
  private final Controller<String> controller;
  private final AssignmentFeed assignments;
  private final ContainerSync containers;
  private final StatusReporter statuses;
  private final HealthProber prober;
  private boolean tookOverReports;
  private final NodeNetwork network;
  private NodeRegistration registration;
  private ContainerRuntime.Subscription events;
  private volatile boolean closed;
  private Optional<AgentApi> api = Optional.empty();
  private volatile NodeInfo advertised;

  private NodeAgent(
      AgentConfig config,
      Store store,
      ContainerRuntime runtime,
      Optional<LinuxHostNetwork> host,
      InstantSource clock) {
    this.config = config;
    this.runtime = runtime;
    this.clock = clock;
    this.node = config.node().name();
    this.advertised = config.node();
    this.assignments = new AssignmentFeed(store, node, this::wake);
    this.prober = new HealthProber(this::wake);
    this.containers = new ContainerSync(config, runtime, prober);
    this.network =
        new NodeNetwork(store, runtime, host, config.node(), config.routerPorts(), this::wake);
    this.statuses = new StatusReporter(new DeploydState(store), node);
    this.controller =
        Controller.builder("agent " + node, this::sync)
            .resync(config.resync(), node)
            .backoff(new Backoff(Duration.ofMillis(100), config.resync()))
            .expected(RuntimeFailure.class)
            .build();
  }

  /**
   * Registers the node and starts serving it; with {@link AgentConfig#apiPort()} set, also the
   * agent's API on the node IP, whose port is registered with the node. It keeps the node's Docker
   * network of the container network but leaves the machine's routes and firewall alone.
   */
  public static NodeAgent start(
      AgentConfig config, Store store, ContainerRuntime runtime, InstantSource clock) {
    return start(config, store, runtime, Optional.empty(), clock);
  }

  /**
   * As {@link #start(AgentConfig, Store, ContainerRuntime, InstantSource)}, with the kernel's side
   * of the container network kept through {@code host} too.
   */
  public static NodeAgent start(
      AgentConfig config,
      Store store,
      ContainerRuntime runtime,
      Optional<LinuxHostNetwork> host,
      InstantSource clock) {
    NodeAgent agent = new NodeAgent(config, store, runtime, host, clock);
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
    agent.controller.start();
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
    controller.enqueue(node);
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
    controller.close();
    assignments.close();
    network.close();
    events.close();
    registration.close();
    api.ifPresent(AgentApi::close);
  }

  /** One round: converge the containers to the assignments and report. */
  private Result sync(String key) {
    registration.ensure();
    Instant now = clock.instant();
    List<Assignment> assigned = assignments.current(now);
    Optional<String> joined = network.ensure(now);
    List<ContainerInfo> present = containers.containers();
    if (!tookOverReports) {
      prober.previousReports(statuses.reported());
      tookOverReports = true;
    }
    Map<InstanceId, InstanceStatus> observed = containers.converge(assigned, present, joined, now);
    statuses.report(observed);
    return Result.done();
  }
}
