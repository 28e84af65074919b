package dev.lain.agent;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.runtime.ContainerInfo;
import dev.lain.runtime.ContainerRequest;
import dev.lain.runtime.ContainerRuntime;
import dev.lain.runtime.ContainerState;
import dev.lain.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one node's containers match its assignments, pass by pass: creates and starts what is
 * missing (pulling its image, publishing its port from the node's range), restarts what exited with
 * a doubling pause, leaves an instance that exits too often within a window stopped as
 * crash-looping, restarts on a restart request, stops what should be stopped, and removes
 * containers of this node that nothing assigns. It remembers, per instance incarnation, what the
 * containers cannot tell it (restarts, back-off, the port it chose); it reads the rest from the
 * runtime each pass, so a restarted agent adopts its running containers.
 */
final class ContainerSync {
  private static final Logger log = LoggerFactory.getLogger(ContainerSync.class);

  private final AgentConfig config;
  private final ContainerRuntime runtime;
  private final HealthProber prober;
  private final String node;
  private final Map<InstanceId, Local> local = new HashMap<>();

  ContainerSync(AgentConfig config, ContainerRuntime runtime, HealthProber prober) {
    this.config = config;
    this.runtime = runtime;
    this.prober = prober;
    this.node = config.node().name();
  }

  /** The node's containers as the runtime lists them now. */
  List<ContainerInfo> containers() {
    return runtime.list(Map.of(ContainerLabels.NODE, node));
  }

  /** Makes the node's containers match {@code assignments}; the statuses of what is assigned. */
  Map<InstanceId, InstanceStatus> converge(
      List<Assignment> assignments,
      List<ContainerInfo> containers,
      Optional<String> network,
      Instant now) {
    prober.takeResults();
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
      statuses.put(id, instance(a, c, l, usedPorts, network, now));
    }
    for (ContainerInfo c : byName.values()) {
      log.info("agent {}: removing {}: no longer assigned here", node, c.name());
      stopAndRemove(c);
    }
    local.keySet().retainAll(assigned);
    prober.retain(assigned);
    return statuses;
  }

  private InstanceStatus instance(
      Assignment a,
      ContainerInfo c,
      Local l,
      Set<Integer> usedPorts,
      Optional<String> network,
      Instant now) {
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
      return create(a, l, usedPorts, network, now);
    }
    l.seen(c);
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

  private InstanceStatus create(
      Assignment a, Local l, Set<Integer> usedPorts, Optional<String> network, Instant now) {
    int port = 0;
    if (network.isEmpty() && a.spec().container().port() > 0) {
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
        InstanceContainers.request(a, network, config.node().ip(), port, config.dataRoot());
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
      started.ifPresent(l::seen);
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
      case HealthCheck.Http check ->
          prober.health(a.id(), check, l.endpoint(a, config), c.startedAt(), now);
    };
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
        prober.reset(a.id());
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
        l.address,
        a.spec().container().port(),
        l.hostPort,
        runState,
        health,
        l.restarts,
        oom,
        exitCode,
        error,
        l.since);
  }

  /** What the agent remembers about one instance incarnation between passes. */
  private static final class Local {
    RunState state;
    Instant since;
    int hostPort;
    String address = "";
    String error = "";
    int restarts;
    int failures;
    final Deque<Instant> restartTimes = new ArrayDeque<>();
    Instant nextAttempt;
    boolean crashLoop;

    Local(Instant now) {
      this.since = now;
    }

    /** What the container tells: its published port, its address on the container network. */
    void seen(ContainerInfo c) {
      hostPort = c.ports().isEmpty() ? hostPort : c.ports().getFirst().hostPort();
      address = c.addresses().getOrDefault(NodeNetwork.DOCKER_NETWORK, "");
    }

    /** Where its proc's port is reached from the node. */
    Optional<InstanceStatus.Endpoint> endpoint(Assignment a, AgentConfig config) {
      return InstanceStatus.Endpoint.of(
          address, a.spec().container().port(), config.node().ip(), hostPort);
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
