package dev.lain.master;

import dev.lain.cluster.state.DeploydJson;
import dev.lain.cluster.state.DeploydKeys;
import dev.lain.cluster.state.DeploydSnapshot;
import dev.lain.cluster.state.DeploydState;
import dev.lain.cluster.state.Versioned;
import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.scheduler.Action;
import dev.lain.scheduler.ClusterState;
import dev.lain.scheduler.EngineSettings;
import dev.lain.scheduler.NodeState;
import dev.lain.scheduler.Plan;
import dev.lain.scheduler.Reconciler;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin loop around the {@link Reconciler}: on every change in the store (and at least every
 * {@code tick}, for time-based decisions), read everything, compute a plan, write it. Only the
 * elected leader runs one.
 *
 * <p>It also keeps the one piece of state that is not in the store: since when each node's
 * heartbeat has been missing (a new leader starts counting afresh, which only delays a decision).
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final DeploydState state;
  private final Store store;
  private final EngineSettings settings;
  private final InstantSource clock;
  private final Duration tick;
  private final LinkedBlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
  private final Map<String, Instant> downSince = new HashMap<>();
  private final AtomicBoolean rewatch = new AtomicBoolean(true);
  private final Thread loop;
  private volatile boolean closed;
  private volatile boolean paused;
  private volatile EngineStatus status;
  private Watch watch;

  private Engine(Store store, EngineSettings settings, InstantSource clock, Duration tick) {
    this.store = store;
    this.state = new DeploydState(store);
    this.settings = settings;
    this.clock = clock;
    this.tick = tick;
    this.status = EngineStatus.starting(clock.instant());
    this.loop = Thread.ofPlatform().name("deployd-engine").unstarted(this::run);
  }

  /** Starts reconciling (call on the elected leader). */
  public static Engine start(
      Store store, EngineSettings settings, InstantSource clock, Duration tick) {
    Engine engine = new Engine(store, settings, clock, tick);
    engine.loop.start();
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
    wake.offer(Boolean.TRUE);
  }

  @Override
  public void close() {
    closed = true;
    wake();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (watch != null) {
      watch.close();
    }
  }

  private void run() {
    while (!closed) {
      try {
        ensureWatch();
        if (!paused) {
          pass();
        }
      } catch (StoreException e) {
        log.warn("engine pass failed, retrying: {}", e.getMessage());
      } catch (RuntimeException e) {
        log.error("engine pass failed, retrying", e);
      }
      try {
        wake.poll(tick.toMillis(), TimeUnit.MILLISECONDS);
        // Coalesce a burst of changes into one pass.
        wake.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void ensureWatch() {
    if (!rewatch.getAndSet(false)) {
      return;
    }
    if (watch != null) {
      watch.close();
    }
    watch =
        store.watch(
            "/lain/",
            0,
            new WatchListener() {
              @Override
              public void onEvents(List<WatchEvent> events) {
                for (WatchEvent e : events) {
                  // The engine's own writes of conditions and status need no new pass.
                  if (!e.key().startsWith(DeploydKeys.POD_GROUP_CONDITIONS)
                      && !e.key().equals(DeploydKeys.ENGINE)) {
                    wake();
                    return;
                  }
                }
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

  /** One reconciliation: read, compute, apply. Returns the plan (for tests and metrics). */
  Plan pass() {
    long started = System.nanoTime();
    Instant now = clock.instant();
    DeploydSnapshot snapshot = state.snapshot();
    ClusterState cluster = clusterState(snapshot, now);
    Plan plan = Reconciler.compute(cluster, now, settings);
    apply(plan, snapshot);
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
    return new ClusterState(
        podGroups, nodes, snapshot.assignments(), instances, snapshot.conditions());
  }

  private void apply(Plan plan, DeploydSnapshot snapshot) {
    List<Assignment> upserts = new ArrayList<>();
    List<Assignment> removals = new ArrayList<>();
    for (Action action : plan.actions()) {
      switch (action) {
        case Action.Assign assign -> upserts.add(assign.assignment());
        case Action.Unassign unassign -> removals.add(unassign.assignment());
        default -> {}
      }
    }
    state.applyAssignments(upserts, removals);
    for (Action action : plan.actions()) {
      switch (action) {
        case Action.Assign assign -> {}
        case Action.Unassign unassign -> {}
        case Action.SetCondition set -> state.setCondition(set.podGroup(), set.condition());
        case Action.RollBack rollBack -> rollBack(rollBack, snapshot);
        case Action.FinishDrift done ->
            state.updatePodGroup(done.podGroup(), r -> r.withoutDrift(done.instance()));
        case Action.RaiseAlert alert -> log.error("ALERT: {}", alert.message());
        case Action.ForgetStatus f -> state.removeInstance(f.status().node(), f.status().id());
      }
    }
    if (!plan.isEmpty()) {
      store.put(DeploydKeys.ENGINE, DeploydJson.write(status));
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
