package dev.lain.agent;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.deployd.DeploydState;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRequest;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.RuntimeFailure;
import dev.lain.store.KeyValue;
import dev.lain.store.Lease;
import dev.lain.store.LeaseKeeper;
import dev.lain.store.Listing;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one node: registers the node and keeps its heartbeat, makes the node's containers
 * match its assignments, and reports every instance's state.
 *
 * <pre>
 *  assignments (watch) ──┐
 *  container events ─────┼─► wake ─► pass: list assignments + containers ─► create/start/stop/remove
 *  every {@code resync} ──┘                                                 └─► report statuses
 * </pre>
 *
 * <p>Containers are recognised by their labels, so after a restart the agent adopts the containers
 * it started before and leaves them running. Containers of this node that nothing assigns are
 * stopped and removed. Exited instances are restarted with a doubling pause; an instance that exits
 * too often within a window is left stopped and reported as crash-looping.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  private final AgentConfig config;
  private final Store store;
  private final DeploydState state;
  private final ContainerRuntime runtime;
  private final InstantSource clock;
  private final String node;

  /** One client for every agent of the process (each has its own selector thread). */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final LinkedBlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
  private final AtomicBoolean reregister = new AtomicBoolean(true);
  private final AtomicBoolean rewatch = new AtomicBoolean(true);

  /** This node's assignments by store key, kept current by a watch. */
  private final Map<String, Assignment> assigned = new ConcurrentHashMap<>();

  private Instant lastFullRead;

  /** A safety net under the watch: re-read every assignment this often. */
  private static final Duration FULL_READ_EVERY = Duration.ofSeconds(30);

  private final ConcurrentLinkedQueue<ProbeResult> probeResults = new ConcurrentLinkedQueue<>();
  private final Map<InstanceId, Local> local = new HashMap<>();
  private final Map<InstanceId, InstanceStatus> reported = new HashMap<>();
  private boolean reportedLoaded;
  private Thread loop;
  private Watch watch;
  private ContainerRuntime.Subscription events;
  private LeaseKeeper keeper;
  private volatile boolean closed;
  private Optional<AgentApi> api = Optional.empty();
  private volatile NodeInfo advertised;

  private NodeAgent(
      AgentConfig config, Store store, ContainerRuntime runtime, InstantSource clock) {
    this.config = config;
    this.store = store;
    this.state = new DeploydState(store);
    this.runtime = runtime;
    this.clock = clock;
    this.node = config.node().name();
    this.advertised = config.node();
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
    if (watch != null) {
      watch.close();
    }
    events.close();
    if (keeper != null) {
      keeper.close();
    }
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

  private void register() {
    // Once registered, a node's labels are the operator's (lainctl node change-labels): a restarted
    // agent keeps them instead of putting back the ones it was started with.
    NodeInfo registered = state.nodes().get(node);
    state.registerNode(
        registered == null ? advertised : advertised.withLabels(registered.labels()));
    Lease lease = store.grantLease(config.heartbeatTtl());
    state.heartbeat(node, config.node().ip(), lease.id());
    LeaseKeeper previous = keeper;
    keeper =
        LeaseKeeper.start(
            store,
            lease,
            () -> {
              reregister.set(true);
              wake();
            });
    if (previous != null) {
      previous.close();
    }
    log.info(
        "agent {}: registered {} (agent API port {}) with heartbeat lease {}",
        node,
        advertised.key(),
        advertised.hasAgentApi() ? advertised.agentPort() : "none",
        Long.toHexString(lease.id()));
  }

  /**
   * Keeps {@link #assigned} current: a full read when (re)starting the watch, or when the last one
   * is {@link #FULL_READ_EVERY} old, and the watch's events in between.
   */
  private void followAssignments(Instant now) {
    boolean stale = lastFullRead == null || !now.isBefore(lastFullRead.plus(FULL_READ_EVERY));
    if (!rewatch.getAndSet(false) && !stale) {
      return;
    }
    if (watch != null) {
      watch.close();
    }
    Listing listing = store.list(DeploydKeys.assignmentsOf(node));
    Map<String, Assignment> fresh = new HashMap<>();
    for (KeyValue kv : listing.entries()) {
      readAssignment(kv.key(), kv.value()).ifPresent(a -> fresh.put(kv.key(), a));
    }
    assigned.clear();
    assigned.putAll(fresh);
    lastFullRead = now;
    watch =
        store.watch(
            DeploydKeys.assignmentsOf(node),
            listing.revision() + 1,
            new WatchListener() {
              @Override
              public void onEvents(List<WatchEvent> events) {
                for (WatchEvent event : events) {
                  switch (event) {
                    case WatchEvent.Put put ->
                        readAssignment(put.key(), put.kv().value())
                            .ifPresentOrElse(
                                a -> assigned.put(put.key(), a), () -> assigned.remove(put.key()));
                    case WatchEvent.Delete delete -> assigned.remove(delete.key());
                  }
                }
                wake();
              }

              @Override
              public void onCompacted(long compactRevision) {
                rewatch.set(true);
                wake();
              }

              @Override
              public void onClosed(StoreException cause) {
                rewatch.set(true);
              }
            });
  }

  private Optional<Assignment> readAssignment(String key, String value) {
    try {
      return Optional.of(DeploydJson.read(value, Assignment.class));
    } catch (IllegalArgumentException e) {
      log.warn("agent {}: ignoring unreadable assignment {}: {}", node, key, e.getMessage());
      return Optional.empty();
    }
  }

  /** One round: converge the containers to the assignments and report. */
  void pass() {
    if (reregister.getAndSet(false)) {
      try {
        register();
      } catch (StoreException e) {
        reregister.set(true);
        throw e;
      }
    }
    Instant now = clock.instant();
    followAssignments(now);
    if (!reportedLoaded) {
      for (InstanceStatus status : state.instancesOf(node)) {
        reported.put(status.id(), status);
      }
      reportedLoaded = true;
    }
    List<Assignment> assignments =
        assigned.values().stream().sorted(Comparator.comparing(Assignment::id)).toList();
    List<ContainerInfo> containers = runtime.list(Map.of(ContainerLabels.NODE, node));
    applyProbeResults();
    Map<InstanceId, InstanceStatus> statuses = converge(assignments, containers, now);
    report(statuses);
  }

  private Map<InstanceId, InstanceStatus> converge(
      List<Assignment> assignments, List<ContainerInfo> containers, Instant now) {
    Map<String, ContainerInfo> byName = new HashMap<>();
    Set<Integer> usedPorts = new HashSet<>();
    for (ContainerInfo c : containers) {
      byName.put(c.name(), c);
      c.ports().forEach(p -> usedPorts.add(p.hostPort()));
    }
    local.values().forEach(l -> usedPorts.add(l.hostPort));
    Map<InstanceId, InstanceStatus> statuses = new HashMap<>();
    Set<InstanceId> assigned = new HashSet<>();
    for (Assignment a : assignments) {
      InstanceId id = a.id();
      assigned.add(id);
      Local l = local.computeIfAbsent(id, k -> new Local(now));
      ContainerInfo c = byName.remove(id.containerName());
      if (c != null && ContainerLabels.restartGenerationOf(c.labels()) != a.restartGeneration()) {
        // A restart request: a fresh container with the new generation.
        stopAndRemove(c);
        l.forgetRestarts();
        c = null;
      }
      statuses.put(id, instance(a, c, l, usedPorts, now));
    }
    for (ContainerInfo c : byName.values()) {
      log.info("agent {}: removing {}: no longer assigned here", node, c.name());
      stopAndRemove(c);
    }
    local.keySet().retainAll(assigned);
    return statuses;
  }

  private InstanceStatus instance(
      Assignment a, ContainerInfo c, Local l, Set<Integer> usedPorts, Instant now) {
    if (a.target() == TargetState.STOP) {
      if (c != null && c.state() == ContainerState.RUNNING) {
        stop(c, (int) a.spec().killTimeout().toSeconds());
      }
      return status(a, l, RunState.STOPPED, Health.NONE, c, now);
    }
    if (c == null) {
      if (l.crashLoop) {
        return status(a, l, RunState.CRASH_LOOP, Health.NONE, null, now);
      }
      if (l.nextAttempt != null && now.isBefore(l.nextAttempt)) {
        return status(
            a, l, l.error.isEmpty() ? RunState.CREATING : RunState.FAILED, Health.NONE, null, now);
      }
      return create(a, l, usedPorts, now);
    }
    l.hostPort = c.ports().isEmpty() ? l.hostPort : c.ports().getFirst().hostPort();
    return switch (c.state()) {
      case RUNNING -> {
        l.error = "";
        yield status(a, l, RunState.RUNNING, health(a, c, l, now), c, now);
      }
      case CREATED -> {
        startExisting(c, l, now);
        yield status(a, l, RunState.CREATING, Health.NONE, c, now);
      }
      case TRANSIENT -> status(a, l, RunState.CREATING, Health.NONE, c, now);
      case EXITED, DEAD -> exited(a, c, l, now);
    };
  }

  private InstanceStatus exited(Assignment a, ContainerInfo c, Local l, Instant now) {
    if (!a.spec().restartPolicy().restartsAfter(c.exitCode()) || l.crashLoop) {
      return status(a, l, l.crashLoop ? RunState.CRASH_LOOP : RunState.EXITED, Health.NONE, c, now);
    }
    Instant windowStart = now.minus(config.crashLoopWindow());
    while (!l.restartTimes.isEmpty() && l.restartTimes.peekFirst().isBefore(windowStart)) {
      l.restartTimes.pollFirst();
    }
    if (l.restartTimes.size() >= config.crashLoopRestarts()) {
      l.crashLoop = true;
      l.error =
          "exited with code "
              + c.exitCode()
              + (c.oomKilled() ? " (out of memory)" : "")
              + " "
              + (l.restartTimes.size() + 1)
              + " times within "
              + config.crashLoopWindow().toSeconds()
              + " s; not restarted again until the next deploy or restart";
      log.warn("agent {}: {} {}", node, c.name(), l.error);
      return status(a, l, RunState.CRASH_LOOP, Health.NONE, c, now);
    }
    if (l.nextAttempt == null) {
      long factor = 1L << Math.min(20, l.restartTimes.size());
      Duration pause = config.restartBackoff().multipliedBy(factor);
      if (pause.compareTo(config.maxRestartBackoff()) > 0) {
        pause = config.maxRestartBackoff();
      }
      l.nextAttempt = now.plus(pause);
    }
    if (now.isBefore(l.nextAttempt)) {
      return status(a, l, RunState.EXITED, Health.NONE, c, now);
    }
    l.nextAttempt = null;
    l.restartTimes.addLast(now);
    l.restarts++;
    startExisting(c, l, now);
    return status(a, l, RunState.CREATING, Health.NONE, c, now);
  }

  private InstanceStatus create(Assignment a, Local l, Set<Integer> usedPorts, Instant now) {
    int port = 0;
    if (a.spec().container().port() > 0) {
      port = l.hostPort != 0 ? l.hostPort : freePort(usedPorts);
      if (port == 0) {
        return fail(
            a,
            l,
            "no free host port in " + config.firstHostPort() + "-" + config.lastHostPort(),
            now);
      }
      l.hostPort = port;
      usedPorts.add(port);
    }
    ContainerRequest request =
        InstanceContainers.request(a, config.node().ip(), port, config.dataRoot());
    try {
      for (ContainerRequest.Bind bind : request.binds()) {
        Files.createDirectories(Path.of(bind.hostPath()));
      }
      if (!runtime.hasImage(request.image())) {
        runtime.pull(request.image());
      }
      String id = runtime.create(request);
      runtime.start(id);
      l.since = now;
      l.error = "";
      l.nextAttempt = null;
      // Report it running at once when it is (saves a round of reports per new instance).
      Optional<ContainerInfo> started = runtime.inspect(id);
      if (started.isPresent() && started.get().state() == ContainerState.RUNNING) {
        return status(a, l, RunState.RUNNING, health(a, started.get(), l, now), started.get(), now);
      }
      return status(a, l, RunState.CREATING, Health.NONE, null, now);
    } catch (RuntimeFailure e) {
      if (e.code() == RuntimeFailure.Code.REJECTED && port != 0) {
        // Most often the port is taken by something outside LAIN: try another next time.
        l.hostPort = 0;
      }
      cleanUpFailed(request.name());
      return fail(a, l, e.getMessage(), now);
    } catch (IOException e) {
      return fail(a, l, "cannot create volume directories: " + e.getMessage(), now);
    }
  }

  private void cleanUpFailed(String name) {
    try {
      for (ContainerInfo c : runtime.list(Map.of(ContainerLabels.NODE, node))) {
        if (c.name().equals(name) && c.state() != ContainerState.RUNNING) {
          runtime.remove(c.id());
        }
      }
    } catch (RuntimeFailure e) {
      log.warn("agent {}: cannot clean up {}: {}", node, name, e.getMessage());
    }
  }

  private InstanceStatus fail(Assignment a, Local l, String error, Instant now) {
    l.error = error;
    l.failures++;
    long factor = 1L << Math.min(20, l.failures - 1);
    Duration pause = config.restartBackoff().multipliedBy(factor);
    if (pause.compareTo(config.maxRestartBackoff()) > 0) {
      pause = config.maxRestartBackoff();
    }
    l.nextAttempt = now.plus(pause);
    log.warn("agent {}: {} failed: {}", node, a.id(), error);
    return status(a, l, RunState.FAILED, Health.NONE, null, now);
  }

  private void startExisting(ContainerInfo c, Local l, Instant now) {
    try {
      runtime.start(c.id());
      l.since = now;
    } catch (RuntimeFailure e) {
      l.error = e.getMessage();
      log.warn("agent {}: cannot start {}: {}", node, c.name(), e.getMessage());
    }
  }

  private void stop(ContainerInfo c, int timeoutSeconds) {
    try {
      runtime.stop(c.id(), timeoutSeconds);
    } catch (RuntimeFailure e) {
      log.warn("agent {}: cannot stop {}: {}", node, c.name(), e.getMessage());
    }
  }

  private void stopAndRemove(ContainerInfo c) {
    if (c.state() == ContainerState.RUNNING) {
      stop(c, ContainerLabels.killTimeoutOf(c.labels()));
    }
    try {
      runtime.remove(c.id());
    } catch (RuntimeFailure e) {
      log.warn("agent {}: cannot remove {}: {}", node, c.name(), e.getMessage());
    }
  }

  private int freePort(Set<Integer> used) {
    for (int p = config.firstHostPort(); p <= config.lastHostPort(); p++) {
      if (!used.contains(p)) {
        return p;
      }
    }
    return 0;
  }

  private Health health(Assignment a, ContainerInfo c, Local l, Instant now) {
    return switch (a.spec().health()) {
      case HealthCheck.None none -> Health.NONE;
      case HealthCheck.Command command ->
          switch (c.health()) {
            case NONE, STARTING -> Health.STARTING;
            case HEALTHY -> Health.HEALTHY;
            case UNHEALTHY -> Health.UNHEALTHY;
          };
      case HealthCheck.Http check -> {
        probe(a, check, l, now);
        yield l.probeHealth;
      }
    };
  }

  /** Starts an HTTP probe when one is due; its result arrives on another thread. */
  private void probe(Assignment a, HealthCheck.Http check, Local l, Instant now) {
    if (l.probing || l.hostPort == 0 || (l.nextProbe != null && now.isBefore(l.nextProbe))) {
      return;
    }
    l.probing = true;
    l.nextProbe = now.plus(check.interval());
    URI uri = URI.create("http://" + config.node().ip() + ":" + l.hostPort + check.path());
    InstanceId id = a.id();
    Thread.ofVirtual()
        .name("probe " + id)
        .start(
            () -> {
              boolean ok;
              try {
                HttpResponse<Void> response =
                    HTTP.send(
                        HttpRequest.newBuilder(uri).timeout(check.timeout()).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                ok = response.statusCode() >= 200 && response.statusCode() < 400;
              } catch (IOException e) {
                ok = false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
              }
              probeResults.add(new ProbeResult(id, ok, check.retries()));
              wake();
            });
  }

  private void applyProbeResults() {
    ProbeResult result;
    while ((result = probeResults.poll()) != null) {
      Local l = local.get(result.id());
      if (l == null) {
        continue;
      }
      l.probing = false;
      if (result.ok()) {
        l.probeFailures = 0;
        l.probeHealth = Health.HEALTHY;
      } else if (++l.probeFailures >= result.retries()) {
        l.probeHealth = Health.UNHEALTHY;
      }
    }
  }

  private InstanceStatus status(
      Assignment a, Local l, RunState runState, Health health, ContainerInfo c, Instant now) {
    if (runState != l.state) {
      l.state = runState;
      l.since =
          runState == RunState.RUNNING && c != null && c.startedAt().isAfter(Instant.EPOCH)
              ? c.startedAt()
              : now;
      if (runState != RunState.RUNNING) {
        l.probeHealth = Health.STARTING;
        l.probeFailures = 0;
      }
    }
    int exitCode = c == null ? 0 : c.exitCode();
    boolean oom = c != null && c.oomKilled();
    String error = l.error;
    if (error.isEmpty() && c != null && !c.error().isEmpty()) {
      error = c.error();
    }
    return new InstanceStatus(
        a.id(),
        node,
        config.node().ip(),
        l.hostPort,
        runState,
        health,
        l.restarts,
        oom,
        exitCode,
        error,
        l.since);
  }

  /** Writes what changed since the last report, in as few transactions as possible. */
  private void report(Map<InstanceId, InstanceStatus> statuses) {
    List<InstanceStatus> changed =
        statuses.values().stream().filter(s -> !s.equals(reported.get(s.id()))).toList();
    List<InstanceId> gone =
        reported.keySet().stream().filter(id -> !statuses.containsKey(id)).toList();
    state.reportInstances(node, changed, gone);
    changed.forEach(s -> reported.put(s.id(), s));
    gone.forEach(reported::remove);
  }

  private record ProbeResult(InstanceId id, boolean ok, int retries) {}

  /** What the agent remembers about one instance incarnation between passes. */
  private static final class Local {
    RunState state;
    Instant since;
    int hostPort;
    String error = "";
    int restarts;
    int failures;
    final Deque<Instant> restartTimes = new ArrayDeque<>();
    Instant nextAttempt;
    boolean crashLoop;
    Health probeHealth = Health.STARTING;
    int probeFailures;
    Instant nextProbe;
    boolean probing;

    Local(Instant now) {
      this.since = now;
    }

    void forgetRestarts() {
      restartTimes.clear();
      crashLoop = false;
      nextAttempt = null;
      error = "";
      failures = 0;
    }
  }
}
