package dev.lain.deployd;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.DriftRequest;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.TargetState;
import dev.lain.model.deploy.WebSettings;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.Versioned;
import dev.lain.spec.Mountpoints;
import dev.lain.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * deployd's operations (LAIN's §7.3 API) over the store. They only change desired state; the engine
 * carries them out and the views show how far it got.
 */
public final class DeploydService {
  private final DeploydState state;
  private final Supplier<Optional<Engine>> engine;

  /**
   * @param engine the engine, when this master is the leader (status and pause go to it)
   */
  public DeploydService(DeploydState state, Supplier<Optional<Engine>> engine) {
    this.state = state;
    this.engine = engine;
  }

  // ---- pod groups ------------------------------------------------------------------------

  public PodGroupView get(String name) {
    DeploydSnapshot snapshot = read(state::snapshot);
    return view(name, snapshot)
        .orElseThrow(
            () -> new DeploydException(DeploydException.Code.NOT_FOUND, "no pod group " + name));
  }

  /** Every pod group, or those of one app. */
  public List<PodGroupView> list(Optional<String> app) {
    DeploydSnapshot snapshot = read(state::snapshot);
    List<PodGroupView> views = new ArrayList<>();
    snapshot.podGroups().keySet().stream()
        .sorted()
        .forEach(
            name ->
                view(name, snapshot)
                    .filter(v -> app.map(v.app()::equals).orElse(true))
                    .ifPresent(views::add));
    return views;
  }

  /** Deploys a new pod group (its spec becomes version 1). */
  public void create(PodGroupSpec spec) {
    checkMountpoints(spec);
    PodGroupSpec first = spec.withVersion(1);
    if (!read(() -> state.createPodGroup(PodGroupRecord.deployed(first)))) {
      throw new DeploydException(
          DeploydException.Code.CONFLICT,
          "pod group " + spec.name() + " exists already: upgrade or remove it");
    }
  }

  /** Mountpoints end up in nginx's configuration: refuse any that is not a host and path. */
  private static void checkMountpoints(PodGroupSpec spec) {
    for (String mountpoint : spec.web().map(WebSettings::mountpoints).orElse(List.of())) {
      try {
        Mountpoints.parse(mountpoint);
      } catch (IllegalArgumentException e) {
        throw new DeploydException(
            DeploydException.Code.INVALID, spec.name() + ": " + e.getMessage());
      }
    }
  }

  public void remove(String name) {
    if (!read(() -> state.removePodGroup(name))) {
      throw new DeploydException(DeploydException.Code.NOT_FOUND, "no pod group " + name);
    }
  }

  /** Changes the number of instances (no new version: instances keep running). */
  public PodGroupRecord scale(String name, int instances) {
    if (instances < 0) {
      throw new DeploydException(
          DeploydException.Code.INVALID, "num_instances must be 0 or more, not " + instances);
    }
    return change(name, r -> r.withSpec(r.spec().withNumInstances(instances)));
  }

  /**
   * Changes the instance count and the container's limits in one write, so that a request for both
   * never ends half applied. New limits need new containers: they make a new version (a rolling
   * upgrade); a count alone does not.
   */
  public PodGroupRecord resize(
      String name, OptionalInt instances, OptionalLong memoryBytes, OptionalInt cpuLevel) {
    if (instances.isPresent() && instances.getAsInt() < 0) {
      throw new DeploydException(
          DeploydException.Code.INVALID,
          "num_instances must be 0 or more, not " + instances.getAsInt());
    }
    return change(
        name,
        r -> {
          PodGroupSpec spec = r.spec();
          ContainerSpec c = spec.container();
          int count = instances.orElse(spec.numInstances());
          long memory = memoryBytes.orElse(c.memoryBytes());
          int cpu = cpuLevel.orElse(c.cpuLevel());
          if (memory == c.memoryBytes() && cpu == c.cpuLevel()) {
            return r.withSpec(spec.withNumInstances(count));
          }
          ContainerSpec limited;
          try {
            limited =
                new ContainerSpec(
                    c.image(),
                    c.entrypoint(),
                    c.command(),
                    c.env(),
                    c.user(),
                    c.workdir(),
                    c.port(),
                    c.volumes(),
                    c.labels(),
                    memory,
                    cpu);
          } catch (IllegalArgumentException e) {
            throw new DeploydException(DeploydException.Code.INVALID, e.getMessage());
          }
          return r.upgradedTo(spec.upgradedTo(limited).withNumInstances(count));
        });
  }

  /**
   * A rolling upgrade to {@code next} (its version is set to the current one + 1; the instance
   * count stays as scaled).
   */
  public PodGroupRecord upgrade(String name, PodGroupSpec next) {
    if (!next.name().equals(name)) {
      throw new DeploydException(
          DeploydException.Code.INVALID, "the spec is for " + next.name() + ", not " + name);
    }
    checkMountpoints(next);
    return change(
        name,
        r ->
            r.upgradedTo(
                next.withVersion(r.spec().version() + 1)
                    .withNumInstances(r.spec().numInstances())));
  }

  /**
   * {@code start}, {@code stop} or {@code restart} one instance, or all when {@code instance} is 0.
   */
  public PodGroupRecord operate(String name, String operation, int instance) {
    return change(
        name,
        r -> {
          checkInstance(r, instance, true);
          return switch (operation) {
            case "start" ->
                instance == 0
                    ? r.withTarget(TargetState.RUN)
                    : r.withInstanceTarget(instance, TargetState.RUN);
            case "stop" ->
                instance == 0
                    ? r.withTarget(TargetState.STOP)
                    : r.withInstanceTarget(instance, TargetState.STOP);
            case "restart" -> r.restarted(instance);
            default ->
                throw new DeploydException(
                    DeploydException.Code.INVALID,
                    "unknown operation '" + operation + "': use start, stop or restart");
          };
        });
  }

  /** Moves an instance to another node ({@code to}) or to any other node. */
  public PodGroupRecord drift(String name, int instance, Optional<String> to, boolean force) {
    to.ifPresent(
        node -> {
          if (!read(state::nodes).containsKey(node)) {
            throw new DeploydException(DeploydException.Code.NOT_FOUND, "no node " + node);
          }
        });
    return change(
        name,
        r -> {
          checkInstance(r, instance, false);
          return r.withDrift(instance, new DriftRequest(to, force));
        });
  }

  private static void checkInstance(PodGroupRecord r, int instance, boolean zeroMeansAll) {
    int min = zeroMeansAll ? 0 : 1;
    if (instance < min || instance > r.spec().numInstances()) {
      throw new DeploydException(
          DeploydException.Code.INVALID,
          r.name() + " has instances 1.." + r.spec().numInstances() + ", not " + instance);
    }
  }

  private PodGroupRecord change(String name, Function<PodGroupRecord, PodGroupRecord> change) {
    return read(() -> state.updatePodGroup(name, change))
        .orElseThrow(
            () -> new DeploydException(DeploydException.Code.NOT_FOUND, "no pod group " + name));
  }

  // ---- nodes -----------------------------------------------------------------------------

  public List<NodeSummary> nodes() {
    DeploydSnapshot snapshot = read(state::snapshot);
    Map<String, Resources> allocated = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (Assignment a : snapshot.assignments()) {
      allocated.merge(a.node(), a.spec().container().request(), Resources::plus);
      counts.merge(a.node(), 1, Integer::sum);
    }
    return snapshot.nodes().values().stream()
        .sorted(Comparator.comparing(NodeInfo::name))
        .map(
            n ->
                new NodeSummary(
                    n.name(),
                    n.ip(),
                    n.sshPort(),
                    snapshot.alive().contains(n.name()),
                    snapshot.modeOf(n.name()),
                    n.capacity(),
                    allocated.getOrDefault(n.name(), Resources.ZERO),
                    counts.getOrDefault(n.name(), 0),
                    n.labels()))
        .toList();
  }

  /** Maintenance, draining or back to active. */
  public void setNodeMode(String node, NodeMode mode) {
    if (!read(state::nodes).containsKey(node)) {
      throw new DeploydException(DeploydException.Code.NOT_FOUND, "no node " + node);
    }
    read(
        () -> {
          state.setNodeMode(node, mode);
          return null;
        });
  }

  // ---- webrouters -----------------------------------------------------------------------

  public List<RouterStatus> routers() {
    return read(state::routers);
  }

  // ---- engine ----------------------------------------------------------------------------

  /** The engine's status, if this master leads. */
  public Optional<EngineStatus> engineStatus() {
    return engine.get().map(Engine::status);
  }

  public void pauseEngine(boolean pause) {
    engine
        .get()
        .orElseThrow(
            () ->
                new DeploydException(
                    DeploydException.Code.UNAVAILABLE, "this master is not the leader"))
        .setPaused(pause);
  }

  // ---- views -----------------------------------------------------------------------------

  private static Optional<PodGroupView> view(String name, DeploydSnapshot snapshot) {
    Versioned<PodGroupRecord> record = snapshot.podGroups().get(name);
    if (record == null) {
      return Optional.empty();
    }
    Map<InstanceId, InstanceStatus> statuses = new HashMap<>();
    for (InstanceStatus s : snapshot.instances()) {
      statuses.put(s.id(), s);
    }
    List<PodGroupView.InstanceView> instances =
        snapshot.assignments().stream()
            .filter(a -> a.id().podGroup().equals(name))
            .sorted(Comparator.comparing(Assignment::id))
            .map(
                a -> {
                  InstanceStatus s = statuses.get(a.id());
                  return PodGroupView.InstanceView.of(
                      a, s != null && s.node().equals(a.node()) ? s : null);
                })
            .toList();
    PodGroupCondition condition =
        snapshot
            .conditions()
            .getOrDefault(name, new PodGroupCondition("pending", "", Instant.EPOCH));
    return Optional.of(
        new PodGroupView(name, record.value().spec().app(), record.value(), condition, instances));
  }

  private static <T> T read(Supplier<T> action) {
    try {
      return action.get();
    } catch (StoreException e) {
      throw new DeploydException(
          DeploydException.Code.UNAVAILABLE, "the cluster store is unavailable: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new DeploydException(DeploydException.Code.CONFLICT, e.getMessage());
    }
  }
}
