package dev.lain.scheduler;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A simulated cluster on fake time: the reconciler's plans are applied as the engine would apply
 * them, and simulated agents report their instances as the test scripts them.
 */
final class World {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long MIB = 1L << 20;

  Instant now = T0;
  EngineSettings settings = new EngineSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 3);
  final Map<String, PodGroupRecord> podGroups = new TreeMap<>();
  final Map<String, NodeState> nodes = new TreeMap<>();
  final Map<InstanceId, Assignment> assignments = new LinkedHashMap<>();
  final Map<InstanceId, InstanceStatus> instances = new HashMap<>();
  final Map<String, PodGroupCondition> conditions = new HashMap<>();
  final List<String> alerts = new ArrayList<>();

  /** The store revision the simulated engine writes at, and when each assignment was written. */
  long revision;

  final Map<InstanceId, Long> revisions = new HashMap<>();

  /** Live webrouters and the revision each has applied. */
  final Map<String, Long> routers = new TreeMap<>();

  /** What the simulated agents do with an image: by default it runs and is healthy. */
  final Map<String, RunState> imageOutcome = new HashMap<>();

  final Set<String> unhealthyImages = new HashSet<>();

  /** Overrides for single incarnations. */
  final Map<InstanceId, RunState> instanceOutcome = new HashMap<>();

  Plan lastPlan = new Plan(List.of());

  World node(String name, long memoryMib, String... labels) {
    Map<String, String> map = new HashMap<>();
    map.put("group", "default");
    for (String label : labels) {
      String[] kv = label.split("=", 2);
      map.put(kv[0], kv[1]);
    }
    NodeInfo info =
        new NodeInfo(
            name, "127.0.1." + (nodes.size() + 1), 22, new Resources(memoryMib * MIB, 4000), map);
    nodes.put(name, new NodeState(info, true, Optional.empty(), NodeMode.ACTIVE));
    return this;
  }

  static PodGroupSpec spec(String name, int instances, long memoryMib) {
    String app = name.substring(0, name.indexOf('.'));
    ContainerSpec container =
        ContainerSpec.of("registry/" + app + ":v1").withMemoryBytes(memoryMib * MIB).withPort(80);
    return new PodGroupSpec(
        name,
        app,
        1,
        container,
        instances,
        RestartPolicy.ALWAYS,
        List.of(NodeConstraint.DEFAULT_GROUP),
        false,
        new HealthCheck.Http("/health", Duration.ofSeconds(1), Duration.ofSeconds(1), 2),
        Duration.ZERO,
        Duration.ofSeconds(10));
  }

  World deploy(PodGroupSpec spec) {
    podGroups.put(spec.name(), PodGroupRecord.deployed(spec));
    return this;
  }

  World change(String podGroup, Function<PodGroupRecord, PodGroupRecord> change) {
    podGroups.put(podGroup, change.apply(podGroups.get(podGroup)));
    return this;
  }

  World upgrade(String podGroup, String image) {
    return change(
        podGroup, r -> r.upgradedTo(r.spec().upgradedTo(r.spec().container().withImage(image))));
  }

  World undeploy(String podGroup) {
    podGroups.remove(podGroup);
    return this;
  }

  World killNode(String name) {
    NodeState n = nodes.get(name);
    nodes.put(name, new NodeState(n.info(), false, Optional.of(now), n.mode()));
    return this;
  }

  World reviveNode(String name) {
    NodeState n = nodes.get(name);
    nodes.put(name, new NodeState(n.info(), true, Optional.empty(), n.mode()));
    return this;
  }

  World mode(String name, NodeMode mode) {
    NodeState n = nodes.get(name);
    nodes.put(name, new NodeState(n.info(), n.heartbeat(), n.downSince(), mode));
    return this;
  }

  World advance(Duration d) {
    now = now.plus(d);
    return this;
  }

  ClusterState state() {
    return new ClusterState(
        podGroups,
        nodes,
        List.copyOf(assignments.values()),
        instances,
        conditions,
        revisions,
        routers);
  }

  /** Every router applies everything written so far. */
  World routersApply() {
    routers.replaceAll((name, applied) -> revision);
    return this;
  }

  /** One engine pass: compute and apply. */
  Plan step() {
    Plan plan = Reconciler.compute(state(), now, settings);
    lastPlan = plan;
    for (Action action : plan.actions()) {
      switch (action) {
        case Action.Assign a -> {
          assignments.put(a.assignment().id(), a.assignment());
          revisions.put(a.assignment().id(), ++revision);
        }
        case Action.Unassign u -> {
          assignments.remove(u.assignment().id());
          revisions.remove(u.assignment().id());
          revision++;
        }
        case Action.SetCondition c -> conditions.put(c.podGroup(), c.condition());
        case Action.RollBack r ->
            podGroups.put(
                r.podGroup(), podGroups.get(r.podGroup()).rolledBackTo(r.to(), r.reason()));
        case Action.FinishDrift d -> change(d.podGroup(), rec -> rec.withoutDrift(d.instance()));
        case Action.RaiseAlert alert -> alerts.add(alert.message());
        case Action.ForgetStatus f -> instances.remove(f.status().id());
      }
    }
    return plan;
  }

  /** The simulated agents of live nodes report every assignment as the scripts say. */
  World agentsReport() {
    instances.keySet().removeIf(id -> !assignments.containsKey(id));
    for (Assignment a : assignments.values()) {
      if (!nodes.get(a.node()).heartbeat()) {
        continue;
      }
      InstanceStatus old = instances.get(a.id());
      RunState state =
          instanceOutcome.getOrDefault(
              a.id(), imageOutcome.getOrDefault(a.spec().container().image(), RunState.RUNNING));
      Health health =
          a.spec().health() instanceof HealthCheck.None
              ? Health.NONE
              : unhealthyImages.contains(a.spec().container().image())
                  ? Health.UNHEALTHY
                  : Health.HEALTHY;
      Instant since = old != null && old.state() == state ? old.since() : now;
      instances.put(
          a.id(),
          new InstanceStatus(
              a.id(),
              a.node(),
              nodes.get(a.node()).info().ip(),
              "",
              0,
              20000,
              state,
              health,
              0,
              false,
              0,
              state == RunState.FAILED ? "boom" : "",
              since));
    }
    return this;
  }

  /** Agent reports and passes until two passes in a row change nothing (at most {@code max}). */
  World settle(int max) {
    int quiet = 0;
    for (int i = 0; i < max; i++) {
      agentsReport();
      Plan plan = step();
      boolean changed =
          !plan.of(Action.Assign.class).isEmpty()
              || !plan.of(Action.Unassign.class).isEmpty()
              || !plan.of(Action.RollBack.class).isEmpty()
              || !plan.of(Action.FinishDrift.class).isEmpty();
      quiet = changed ? 0 : quiet + 1;
      if (quiet == 2) {
        agentsReport();
        return this;
      }
    }
    throw new AssertionError("no steady state after " + max + " passes; last plan: " + lastPlan);
  }

  World settle() {
    return settle(50);
  }

  List<Assignment> of(String podGroup) {
    return assignments.values().stream()
        .filter(a -> a.id().podGroup().equals(podGroup))
        .sorted((x, y) -> x.id().compareTo(y.id()))
        .toList();
  }

  Map<String, Integer> perNode(String podGroup) {
    Map<String, Integer> counts = new TreeMap<>();
    of(podGroup).forEach(a -> counts.merge(a.node(), 1, Integer::sum));
    return counts;
  }

  PodGroupCondition condition(String podGroup) {
    return conditions.get(podGroup);
  }
}
