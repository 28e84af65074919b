package dev.lain.deployd;

import dev.lain.controller.Backoff;
import dev.lain.controller.Controller;
import dev.lain.controller.Result;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.EngineStatus;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.records.deployd.DeploydCache;
import dev.lain.records.deployd.DeploydSnapshot;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.Versioned;
import dev.lain.scheduler.Action;
import dev.lain.scheduler.ClusterState;
import dev.lain.scheduler.EngineSettings;
import dev.lain.scheduler.NodeState;
import dev.lain.scheduler.Plan;
import dev.lain.scheduler.Reconciler;
import dev.lain.store.Fence;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin loop around the {@link Reconciler}, on lain-controller's skeleton: on every change in
 * the store (and at least every {@code tick}, for time-based decisions), take the current state
 * from a {@link DeploydCache}, compute a plan, write it. Only the elected leader runs one.
 *
 * <p>It also keeps the one piece of state that is not in the store: since when each node's
 * heartbeat has been missing (a new leader starts counting afresh, which only delays a decision).
 *
 * <p>Every write is conditional on the leadership {@link Fence} it was started with: an engine
 * whose master was paused past its lease and resumes writes nothing, stops, and tells its master
 * (which steps down).
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final DeploydState state;
  private final Store store;
  private final EngineSettings settings;
  private final InstantSource clock;
  private final Duration tick;
  private final Map<String, Instant> downSince = new HashMap<>();

  /** How long a pass waits for the cache to catch up before reading the store itself. */
  private static final Duration CACHE_WAIT = Duration.ofSeconds(5);

  /** The engine's one piece of work: a pass over the whole cluster. */
  private enum Work {
    PASS
  }

  private final Controller<Work> controller;
  private volatile boolean paused;
  private volatile EngineStatus status;
  private DeploydCache cache;
  // A cache the master keeps while it stands by, so a new leader starts from a warm one.
  private final boolean ownsCache;
  private long lastWrite;

  private final Runnable fencedOut;

  private Engine(
      Store store,
      Fence fence,
      Runnable fencedOut,
      EngineSettings settings,
      InstantSource clock,
      Duration tick,
      DeploydCache cache) {
    this.store = store;
    this.cache = cache;
    this.ownsCache = cache == null;
    this.state = DeploydState.leading(store, fence);
    this.fencedOut = fencedOut;
    this.settings = settings;
    this.clock = clock;
    this.tick = tick;
    this.status = EngineStatus.starting(clock.instant());
    // A pass at least every tick (lost nodes, timeouts); a failed one is retried sooner.
    this.controller =
        Controller.builder("deployd-engine", this::sync)
            .resync(tick, Work.PASS)
            .backoff(new Backoff(Duration.ofMillis(100), tick))
            .build();
  }

  /**
   * Starts reconciling, on the elected leader.
   *
   * @param fence the leadership every write is conditional on
   * @param fencedOut told (once, from the engine's thread) when a write found the leadership gone;
   *     the engine has stopped making changes by then
   */
  public static Engine start(
      Store store,
      Fence fence,
      Runnable fencedOut,
      EngineSettings settings,
      InstantSource clock,
      Duration tick) {
    return start(store, fence, fencedOut, settings, clock, tick, Optional.empty());
  }

  /**
   * As above, reconciling from {@code warmCache} when given: a cache the caller keeps (and closes)
   * and whose changes it passes on to {@link #wake}; else the engine fills and closes its own.
   */
  public static Engine start(
      Store store,
      Fence fence,
      Runnable fencedOut,
      EngineSettings settings,
      InstantSource clock,
      Duration tick,
      Optional<DeploydCache> warmCache) {
    Engine engine =
        new Engine(store, fence, fencedOut, settings, clock, tick, warmCache.orElse(null));
    engine.controller.start();
    return engine;
  }

  public EngineStatus status() {
    EngineStatus last = status;
    return new EngineStatus(
        last.lastPass(),
        last.passes(),
        last.revision(),
        last.actions(),
        last.took(),
        last.alerts(),
        paused);
  }

  /** Stops or resumes making changes (LAIN's {@code PATCH /api/status}). */
  public void setPaused(boolean pause) {
    paused = pause;
    wake();
  }

  public void wake() {
    controller.enqueue(Work.PASS);
  }

  @Override
  public void close() {
    controller.close();
    if (ownsCache && cache != null) {
      cache.close();
    }
  }

  /**
   * One pass, unless paused. A write refused by the fence ends the engine: it stops taking work and
   * tells its master, which steps down.
   */
  private Result sync(Work work) {
    try {
      ensureCache();
      if (!paused) {
        pass();
      }
    } catch (StoreException e) {
      if (e.code() != StoreException.Code.FENCED) {
        throw e;
      }
      log.warn("engine stops: {}", e.getMessage());
      controller.close();
      fencedOut.run();
    }
    return Result.done();
  }

  private void ensureCache() {
    if (cache == null) {
      cache = DeploydCache.start(store, this::wake);
    }
  }

  /** One reconciliation: read, compute, apply. Returns the plan (for tests and metrics). */
  Plan pass() {
    long started = System.nanoTime();
    Instant now = clock.instant();
    DeploydSnapshot snapshot = snapshot();
    ClusterState cluster = clusterState(snapshot, now);
    Plan plan = Reconciler.compute(cluster, now, settings);
    apply(plan, snapshot);
    if (!plan.isEmpty()) {
      // The next pass must see this one's writes; the cache catches up through its watch.
      lastWrite = store.revision();
    }
    List<String> alerts =
        plan.of(Action.RaiseAlert.class).stream().map(Action.RaiseAlert::message).toList();
    status =
        new EngineStatus(
            now,
            status.passes() + 1,
            snapshot.revision(),
            plan.actions().size(),
            Duration.ofNanos(System.nanoTime() - started),
            alerts,
            paused);
    return plan;
  }

  /** The cache's view once it has caught up with our last write, else a fresh read. */
  private DeploydSnapshot snapshot() {
    try {
      if (cache != null && cache.awaitRevision(lastWrite, CACHE_WAIT)) {
        return cache.snapshot();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return state.snapshot();
  }

  private ClusterState clusterState(DeploydSnapshot snapshot, Instant now) {
    Map<String, NodeState> nodes = new HashMap<>();
    for (NodeInfo info : snapshot.nodes().values()) {
      boolean alive = snapshot.alive().contains(info.name());
      Optional<Instant> down;
      if (alive) {
        downSince.remove(info.name());
        down = Optional.empty();
      } else {
        down = Optional.of(downSince.computeIfAbsent(info.name(), n -> now));
      }
      nodes.put(info.name(), new NodeState(info, alive, down, snapshot.modeOf(info.name())));
    }
    downSince.keySet().retainAll(nodes.keySet());
    Map<String, PodGroupRecord> podGroups = new HashMap<>();
    snapshot.podGroups().forEach((name, versioned) -> podGroups.put(name, versioned.value()));
    Map<InstanceId, InstanceStatus> instances = new HashMap<>();
    for (InstanceStatus s : snapshot.instances()) {
      instances.put(s.id(), s);
    }
    Map<String, Long> routers = new HashMap<>();
    snapshot.routers().forEach((name, status) -> routers.put(name, status.appliedRevision()));
    return new ClusterState(
        podGroups,
        nodes,
        snapshot.assignments(),
        instances,
        snapshot.conditions(),
        snapshot.assignmentRevisions(),
        routers);
  }

  private void apply(Plan plan, DeploydSnapshot snapshot) {
    List<Assignment> upserts = new ArrayList<>();
    List<Assignment> removals = new ArrayList<>();
    Map<String, PodGroupCondition> conditions = new HashMap<>();
    List<InstanceStatus> forgotten = new ArrayList<>();
    for (Action action : plan.actions()) {
      switch (action) {
        case Action.Assign assign -> upserts.add(assign.assignment());
        case Action.Unassign unassign -> removals.add(unassign.assignment());
        case Action.SetCondition set -> conditions.put(set.podGroup(), set.condition());
        case Action.ForgetStatus forget -> forgotten.add(forget.status());
        case Action.RollBack rollBack -> {}
        case Action.FinishDrift done -> {}
        case Action.RaiseAlert alert -> log.error("ALERT: {}", alert.message());
      }
    }
    state.applyAssignments(upserts, removals);
    state.setConditions(conditions);
    state.forgetInstances(forgotten);
    for (Action action : plan.actions()) {
      if (action instanceof Action.RollBack rollBack) {
        rollBack(rollBack, snapshot);
      } else if (action instanceof Action.FinishDrift done) {
        state.updatePodGroup(done.podGroup(), r -> r.withoutDrift(done.instance()));
      }
    }
    if (!plan.isEmpty()) {
      state.putEngineStatus(status);
    }
  }

  private void rollBack(Action.RollBack rollBack, DeploydSnapshot snapshot) {
    Versioned<PodGroupRecord> current = snapshot.podGroups().get(rollBack.podGroup());
    if (current == null) {
      return;
    }
    PodGroupRecord back = current.value().rolledBackTo(rollBack.to(), rollBack.reason());
    if (state.updatePodGroup(back, current.modRevision())) {
      log.warn("{}: {}", rollBack.podGroup(), rollBack.reason());
    }
  }
}
