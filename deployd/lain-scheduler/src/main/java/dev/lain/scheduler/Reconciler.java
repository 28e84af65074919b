package dev.lain.scheduler;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.DriftRequest;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.Readiness;
import dev.lain.model.deploy.Resources;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import dev.lain.scheduler.placement.NodeView;
import dev.lain.scheduler.placement.Placement;
import dev.lain.scheduler.placement.PlacementOutcome;
import dev.lain.scheduler.placement.PlacementRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what the engine does next: a pure function of the cluster state and the time. It reads no
 * clock and makes no calls; the engine loop applies the {@link Plan} it returns and calls it again
 * when anything changes.
 *
 * <pre>
 *  pod groups (desired) ─┐
 *  assignments ──────────┤                        ┌─ Assign / Unassign   (to the nodes' agents)
 *  instance statuses ────┼─► Reconciler.compute ──┼─ SetCondition        (for people)
 *  nodes + heartbeats ───┤                        ├─ RollBack / FinishDrift (to the pod group)
 *  now ──────────────────┘                        └─ RaiseAlert
 * </pre>
 *
 * <p>Per pod group, in order: instances above the wanted count go (highest numbers first);
 * instances on lost nodes are replaced elsewhere unless they are pinned to their node (stateful or
 * with volumes) or too many nodes are lost at once; new instances are placed all together or not at
 * all; drift and drain requests move one instance at a time, new copy first; and a rolling upgrade
 * replaces one instance at a time, starting the new one first when there is room, and removes the
 * old one only once the new one is ready. If the first upgraded instance never gets ready, the pod
 * group rolls back to its previous spec.
 */
public final class Reconciler {
  private Reconciler() {}

  public static Plan compute(ClusterState state, Instant now, EngineSettings settings) {
    return new Pass(state, now, settings).run();
  }

  private static final class Pass {
    final ClusterState state;
    final Instant now;
    final EngineSettings settings;
    final List<Action> actions = new ArrayList<>();
    final Set<String> lostNodes = new TreeSet<>();
    final boolean breakerOpen;
    final Placement placement;
    final Set<InstanceId> removed = new HashSet<>();

    Pass(ClusterState state, Instant now, EngineSettings settings) {
      this.state = state;
      this.now = now;
      this.settings = settings;
      for (NodeState node : state.nodes().values()) {
        if (node.lost(now, settings.nodeGrace())) {
          lostNodes.add(node.name());
        }
      }
      int total = state.nodes().size();
      this.breakerOpen =
          !lostNodes.isEmpty()
              && (lostNodes.size() >= settings.breakerNodes() || lostNodes.size() * 2 > total);
      this.placement = Placement.over(nodeViews());
    }

    private List<NodeView> nodeViews() {
      Map<String, Resources> allocated = new HashMap<>();
      Map<String, Map<String, Integer>> counts = new HashMap<>();
      for (Assignment a : state.assignments()) {
        allocated.merge(a.node(), a.spec().container().request(), Resources::plus);
        counts
            .computeIfAbsent(a.node(), n -> new HashMap<>())
            .merge(a.id().podGroup(), 1, Integer::sum);
      }
      List<NodeView> views = new ArrayList<>();
      for (NodeState node : state.nodes().values()) {
        views.add(
            new NodeView(
                node.info(),
                allocated.getOrDefault(node.name(), Resources.ZERO),
                node.acceptsNewInstances() && !lostNodes.contains(node.name()),
                counts.getOrDefault(node.name(), Map.of())));
      }
      return views;
    }

    Plan run() {
      if (breakerOpen) {
        actions.add(
            new Action.RaiseAlert(
                lostNodes.size()
                    + " of "
                    + state.nodes().size()
                    + " nodes lost at once ("
                    + String.join(", ", lostNodes)
                    + "): their instances are not rescheduled until the nodes return or an"
                    + " operator acts"));
      }
      Map<String, List<Assignment>> byGroup = new TreeMap<>();
      for (Assignment a : state.assignments()) {
        byGroup.computeIfAbsent(a.id().podGroup(), g -> new ArrayList<>()).add(a);
      }
      Set<String> names = new TreeSet<>(state.podGroups().keySet());
      names.addAll(byGroup.keySet());
      for (String name : names) {
        List<Assignment> assigned = byGroup.getOrDefault(name, List.of());
        PodGroupRecord record = state.podGroups().get(name);
        if (record == null) {
          // Undeployed: every instance goes.
          assigned.forEach(this::retire);
        } else {
          new GroupPass(this, record, assigned).run();
        }
      }
      forgetOrphanedStatuses();
      return new Plan(actions);
    }

    private void forgetOrphanedStatuses() {
      Set<InstanceId> assignedHere = new HashSet<>();
      for (Assignment a : state.assignments()) {
        if (!removed.contains(a.id())) {
          assignedHere.add(a.id());
        }
      }
      for (InstanceStatus status : state.instances().values()) {
        NodeState node = state.nodes().get(status.node());
        boolean agentAway = node == null || !node.heartbeat();
        if (agentAway && !assignedHere.contains(status.id())) {
          actions.add(new Action.ForgetStatus(status));
        }
      }
    }

    /**
     * Takes a copy out of service. A web copy that is serving while webrouters run leaves in steps:
     * first it is marked draining (routers drop it), then it goes once every router has applied
     * that mark and the drain delay has passed. Anything else goes at once.
     */
    void retire(Assignment a) {
      if (removed.contains(a.id())) {
        return;
      }
      if (!needsDrain(a)) {
        unassign(a);
        return;
      }
      if (a.drainingSince().isEmpty()) {
        actions.add(new Action.Assign(a.drainingFrom(now)));
        return;
      }
      long marked = state.assignmentRevisions().getOrDefault(a.id(), Long.MAX_VALUE);
      boolean routersApplied =
          state.routers().values().stream().allMatch(applied -> applied >= marked);
      boolean drained = !now.isBefore(a.drainingSince().get().plus(settings.drainDelay()));
      if (routersApplied && drained) {
        unassign(a);
      }
    }

    /**
     * Whether removing {@code a} at once could fail requests: a web copy serving behind routers.
     */
    private boolean needsDrain(Assignment a) {
      if (a.spec().web().isEmpty() || state.routers().isEmpty()) {
        return false;
      }
      NodeState node = state.nodes().get(a.node());
      InstanceStatus status = state.instances().get(a.id());
      return node != null
          && node.heartbeat()
          && status != null
          && status.node().equals(a.node())
          && status.state() == RunState.RUNNING;
    }

    void unassign(Assignment a) {
      if (!removed.add(a.id())) {
        return;
      }
      actions.add(new Action.Unassign(a));
      if (state.nodes().containsKey(a.node())) {
        placement.release(a.node(), a.id().podGroup(), a.spec().container().request());
      }
    }

    boolean isLost(String node) {
      return !state.nodes().containsKey(node) || lostNodes.contains(node);
    }
  }

  /** One pod group within a pass. */
  private static final class GroupPass {
    final Pass pass;
    final PodGroupRecord record;
    final PodGroupSpec spec;
    final List<Assignment> assigned;
    final List<String> problems = new ArrayList<>();

    /** Brand-new instances: placed together or not at all. */
    final List<PlacementRequest> fresh = new ArrayList<>();

    /** Instances whose live copies include an older version, lowest number first. */
    final TreeSet<Integer> pendingUpgrade = new TreeSet<>();

    /** Instances with a current-version copy that is not ready yet. */
    final TreeSet<Integer> notReady = new TreeSet<>();

    final Map<Integer, Assignment> upgradeBase = new HashMap<>();
    int readyCurrent;
    boolean rolledBack;

    GroupPass(Pass pass, PodGroupRecord record, List<Assignment> assigned) {
      this.pass = pass;
      this.record = record;
      this.spec = record.spec();
      this.assigned = assigned;
    }

    void run() {
      int wanted = spec.numInstances();
      TreeMap<Integer, List<Assignment>> byInstance = new TreeMap<>();
      for (Assignment a : assigned) {
        byInstance.computeIfAbsent(a.id().instance(), i -> new ArrayList<>()).add(a);
      }
      // Scale down: the highest instance numbers go first.
      for (int i : byInstance.descendingKeySet()) {
        if (i > wanted) {
          byInstance.get(i).forEach(pass::retire);
        }
      }
      for (int i = 1; i <= wanted; i++) {
        instance(i, byInstance.getOrDefault(i, List.of()));
      }
      placeFresh();
      upgradeStep();
      condition();
    }

    private void instance(int i, List<Assignment> copies) {
      List<Assignment> live = new ArrayList<>();
      List<Assignment> onLost = new ArrayList<>();
      for (Assignment a : copies) {
        (pass.isLost(a.node()) ? onLost : live).add(a);
      }
      Optional<DriftRequest> drift = Optional.ofNullable(record.drifts().get(i));
      boolean forced = drift.map(DriftRequest::force).orElse(false);
      if (!onLost.isEmpty()) {
        if (spec.pinnedToNode() && !forced) {
          problems.add(
              "instance "
                  + i
                  + " waits for node "
                  + onLost.getFirst().node()
                  + " ("
                  + (spec.stateful() ? "stateful" : "its volumes are there")
                  + ")");
          live.addAll(onLost);
        } else if (pass.breakerOpen) {
          problems.add("instance " + i + " is on lost node " + onLost.getFirst().node());
          live.addAll(onLost);
        } else {
          onLost.forEach(pass::unassign);
        }
      }
      if (live.isEmpty()) {
        int drift0 = copies.stream().mapToInt(a -> a.id().drift() + 1).max().orElse(0);
        Set<String> avoid = new TreeSet<>();
        onLost.forEach(a -> avoid.add(a.node()));
        PlacementRequest request =
            request(
                new InstanceId(spec.name(), i, spec.version(), drift0), Optional.empty(), avoid);
        if (copies.isEmpty()) {
          fresh.add(request);
        } else {
          placeOne(
              request, "replace instance " + i + " from lost node " + onLost.getFirst().node());
        }
        notReady.add(i);
        return;
      }
      List<Assignment> current = new ArrayList<>();
      List<Assignment> old = new ArrayList<>();
      for (Assignment a : live) {
        (a.id().version() == spec.version() ? current : old).add(a);
      }
      current.sort(Comparator.comparingInt(a -> a.id().drift()));
      for (int k = 0; k < current.size(); k++) {
        current.set(k, sync(current.get(k)));
      }
      if (old.size() > 1) {
        // Superseded versions (an upgrade replaced by a newer one before it finished): keep the
        // copy that serves (the newest ready one, else the newest) and drop the rest.
        Comparator<Assignment> preference =
            Comparator.comparing((Assignment a) -> !a.draining() && ready(a))
                .thenComparingLong(a -> a.id().version())
                .thenComparingInt(a -> a.id().drift());
        Assignment keep = old.stream().max(preference).orElseThrow();
        old.stream().filter(a -> a != keep).forEach(pass::retire);
        old = new ArrayList<>(List.of(keep));
      }
      if (!old.isEmpty()) {
        if (current.isEmpty()) {
          pendingUpgrade.add(i);
          upgradeBase.put(
              i, old.stream().max(Comparator.comparingInt(a -> a.id().drift())).orElseThrow());
        } else {
          Assignment newest = current.getLast();
          if (ready(newest)) {
            old.forEach(pass::retire);
            current.subList(0, current.size() - 1).forEach(pass::retire);
            readyCurrent++;
          } else {
            notReady.add(i);
            checkUpgradeFailure(i, newest);
          }
        }
        return;
      }
      Assignment newest = current.getLast();
      if (current.size() > 1) {
        // A move in flight (drift, drain): the old copy goes once the new one is ready.
        if (ready(newest)) {
          current.subList(0, current.size() - 1).forEach(pass::retire);
          drift.ifPresent(d -> pass.actions.add(new Action.FinishDrift(spec.name(), i)));
          readyCurrent++;
        } else {
          notReady.add(i);
          if (failed(newest)) {
            problems.add("instance " + i + " cannot move: " + describe(newest));
          }
        }
        return;
      }
      report(i, newest);
      boolean draining =
          pass.state.nodes().containsKey(newest.node())
              && pass.state.nodes().get(newest.node()).mode() == NodeMode.DRAINING;
      if (drift.isPresent()) {
        DriftRequest d = drift.get();
        pass.actions.add(new Action.FinishDrift(spec.name(), i));
        if (spec.pinnedToNode() && !d.force()) {
          problems.add(
              "instance "
                  + i
                  + " is not moved: it is "
                  + (spec.stateful() ? "stateful" : "tied to its volumes")
                  + " (drift it with force)");
        } else {
          move(i, newest, d.to());
        }
      } else if (draining) {
        if (spec.pinnedToNode()) {
          problems.add(
              "instance "
                  + i
                  + " stays on draining node "
                  + newest.node()
                  + " ("
                  + (spec.stateful() ? "stateful" : "tied to its volumes")
                  + ")");
        } else {
          move(i, newest, Optional.empty());
        }
      }
      if (ready(newest)) {
        readyCurrent++;
      } else {
        notReady.add(i);
      }
    }

    /** Keeps an assignment's target and restart generation in step with the pod group. */
    private Assignment sync(Assignment a) {
      int i = a.id().instance();
      TargetState target = record.targetOf(i);
      long generation = record.restartGenerationOf(i);
      if (a.target() == target && a.restartGeneration() == generation) {
        return a;
      }
      Assignment updated =
          new Assignment(
              a.id(), a.node(), a.spec(), target, generation, a.assignedAt(), a.drainingSince());
      pass.actions.add(new Action.Assign(updated));
      return updated;
    }

    private void move(int i, Assignment from, Optional<String> to) {
      InstanceId next = new InstanceId(spec.name(), i, spec.version(), from.id().drift() + 1);
      placeOne(
          request(next, to, Set.of(from.node())), "move instance " + i + " off " + from.node());
    }

    private void report(int i, Assignment a) {
      InstanceStatus status = statusOf(a);
      if (status == null) {
        return;
      }
      if (status.state() == RunState.CRASH_LOOP) {
        problems.add(
            "instance "
                + i
                + " keeps crashing ("
                + status.restarts()
                + " restarts): "
                + status.error());
      } else if (status.state() == RunState.FAILED) {
        problems.add("instance " + i + " cannot start: " + status.error());
      } else if (status.oomKilled()) {
        problems.add("instance " + i + " was killed for using more than its memory limit");
      }
    }

    private PlacementRequest request(InstanceId id, Optional<String> required, Set<String> avoid) {
      return new PlacementRequest(
          id, spec.container().request(), spec.constraints(), required, avoid);
    }

    private void placeFresh() {
      if (fresh.isEmpty()) {
        return;
      }
      switch (pass.placement.placeGroup(fresh)) {
        case PlacementOutcome.Placed placed -> {
          for (PlacementRequest r : fresh) {
            assign(r.id(), placed.nodes().get(r.id()));
          }
        }
        case PlacementOutcome.Unplaceable unplaceable ->
            problems.add(
                "not enough capacity for "
                    + fresh.size()
                    + " new instance"
                    + (fresh.size() == 1 ? "" : "s")
                    + " (none placed): "
                    + unplaceable.reason());
      }
    }

    private boolean placeOne(PlacementRequest request, String what) {
      return switch (pass.placement.placeGroup(List.of(request))) {
        case PlacementOutcome.Placed placed -> {
          assign(request.id(), placed.nodes().get(request.id()));
          yield true;
        }
        case PlacementOutcome.Unplaceable unplaceable -> {
          problems.add("cannot " + what + ": " + unplaceable.reason());
          yield false;
        }
      };
    }

    private void assign(InstanceId id, String node) {
      int i = id.instance();
      pass.actions.add(
          new Action.Assign(
              new Assignment(
                  id, node, spec, record.targetOf(i), record.restartGenerationOf(i), pass.now)));
    }

    /** One instance at a time; the next starts only when no upgraded copy is still unready. */
    private void upgradeStep() {
      if (pendingUpgrade.isEmpty() || rolledBack || !notReady.isEmpty()) {
        return;
      }
      // Copies that serve nothing go first: upgrading them risks nothing.
      int i =
          pendingUpgrade.stream()
              .filter(n -> !ready(upgradeBase.get(n)))
              .findFirst()
              .orElse(pendingUpgrade.first());
      Assignment base = upgradeBase.get(i);
      InstanceId next = new InstanceId(spec.name(), i, spec.version(), base.id().drift());
      // The new copy goes beside the old one when there is room, so the spread stays as it was;
      // elsewhere if not (unless the instance is tied to its node).
      List<PlacementRequest> tries = new ArrayList<>();
      tries.add(request(next, Optional.of(base.node()), Set.of()));
      if (!spec.pinnedToNode()) {
        tries.add(request(next, Optional.empty(), Set.of()));
      }
      for (PlacementRequest surge : tries) {
        if (pass.placement.placeGroup(List.of(surge)) instanceof PlacementOutcome.Placed placed) {
          assign(next, placed.nodes().get(next));
          return;
        }
      }
      // No room for both: stop the old copy first if its node can then take the new one, unless it
      // is the last ready copy of a group that should have more.
      if (ready(base) && spec.numInstances() > 1 && readyCopies() <= 1) {
        problems.add(
            "upgrade of instance "
                + i
                + " waits: there is no room to start it beside the old copy,"
                + " which is the last ready instance");
      } else if (roomAfterRemoving(base)) {
        List<Assignment> leaving = upgradeLeftovers(i);
        leaving.forEach(pass::retire);
        // A draining copy still holds its place; the new one follows once it has gone.
        if (leaving.stream().allMatch(a -> pass.removed.contains(a.id()))) {
          placeOne(request(next, Optional.of(base.node()), Set.of()), "upgrade instance " + i);
        }
      } else {
        problems.add(
            "cannot upgrade instance "
                + i
                + " to v"
                + spec.version()
                + ": no node has room for it, not even "
                + base.node()
                + " once the old copy is gone");
      }
    }

    private long readyCopies() {
      return assigned.stream()
          .filter(a -> !pass.removed.contains(a.id()) && !a.draining() && ready(a))
          .count();
    }

    private List<Assignment> upgradeLeftovers(int i) {
      return assigned.stream()
          .filter(a -> a.id().instance() == i && a.id().version() != spec.version())
          .toList();
    }

    private boolean roomAfterRemoving(Assignment base) {
      NodeState node = pass.state.nodes().get(base.node());
      if (node == null || !node.acceptsNewInstances() || pass.lostNodes.contains(node.name())) {
        return false;
      }
      if (!spec.constraints().stream().allMatch(c -> c.matches(node.info().labels()))) {
        return false;
      }
      NodeView view = pass.placement.view(base.node());
      Resources free =
          node.info().capacity().minus(view.allocated()).plus(base.spec().container().request());
      return spec.container().request().fitsIn(free);
    }

    private void checkUpgradeFailure(int i, Assignment newest) {
      if (!failed(newest)) {
        return;
      }
      String why =
          "instance "
              + i
              + " did not get ready on v"
              + spec.version()
              + " ("
              + describe(newest)
              + ")";
      if (noOtherReadyCurrent(i) && record.previous().isPresent()) {
        PodGroupSpec back =
            record
                .previous()
                .get()
                .withNumInstances(spec.numInstances())
                .withVersion(spec.version() + 1);
        pass.actions.add(
            new Action.RollBack(
                spec.name(),
                back,
                "upgrade to v"
                    + spec.version()
                    + " failed: "
                    + why
                    + "; rolled back to the spec of v"
                    + record.previous().get().version()
                    + " as v"
                    + back.version()));
        rolledBack = true;
      } else {
        problems.add("upgrade to v" + spec.version() + " stalled: " + why);
      }
    }

    private boolean noOtherReadyCurrent(int except) {
      for (Assignment a : assigned) {
        if (a.id().instance() != except
            && a.id().version() == spec.version()
            && !pass.isLost(a.node())
            && ready(a)) {
          return false;
        }
      }
      return true;
    }

    /** The agent's report on {@code a}, if its node is alive to vouch for it. */
    private InstanceStatus statusOf(Assignment a) {
      NodeState node = pass.state.nodes().get(a.node());
      InstanceStatus status = pass.state.instances().get(a.id());
      boolean current =
          node != null && node.heartbeat() && status != null && status.node().equals(a.node());
      return current ? status : null;
    }

    private boolean ready(Assignment a) {
      if (a.target() == TargetState.STOP) {
        return true;
      }
      InstanceStatus status = statusOf(a);
      return status != null
          && (status.completed() || Readiness.serving(a.spec(), status, pass.now));
    }

    /** Not ready, and no longer expected to become ready. */
    private boolean failed(Assignment a) {
      InstanceStatus status = statusOf(a);
      if (status != null
          && (status.state() == RunState.FAILED || status.state() == RunState.CRASH_LOOP)) {
        return true;
      }
      return !pass.now.isBefore(a.assignedAt().plus(readyDeadline(a.spec())));
    }

    private Duration readyDeadline(PodGroupSpec s) {
      Duration checks =
          switch (s.health()) {
            case HealthCheck.None none -> Duration.ZERO;
            case HealthCheck.Command c ->
                c.interval().plus(c.timeout()).multipliedBy(c.retries() + 1L);
            case HealthCheck.Http h ->
                h.interval().plus(h.timeout()).multipliedBy(h.retries() + 1L);
          };
      Duration needed = s.setupTime().plus(checks);
      return needed.compareTo(pass.settings.readyTimeout()) > 0
          ? needed
          : pass.settings.readyTimeout();
    }

    private String describe(Assignment a) {
      InstanceStatus status = statusOf(a);
      if (status == null) {
        return "no report from node " + a.node() + " since it was assigned";
      }
      String text = status.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      if (status.state() == RunState.RUNNING) {
        text += ", health " + status.health().name().toLowerCase(Locale.ROOT);
      }
      if (!status.error().isEmpty()) {
        text += ": " + status.error();
      }
      return text;
    }

    private void condition() {
      int wanted = spec.numInstances();
      String phase;
      if (record.target() == TargetState.STOP) {
        phase = "stopped";
      } else if (rolledBack) {
        phase = "rolling back";
      } else if (!pendingUpgrade.isEmpty() || hasOldCopies()) {
        phase =
            "upgrading to v"
                + spec.version()
                + ": "
                + readyCurrent
                + " of "
                + wanted
                + " instances done";
      } else if (wanted == 0) {
        phase = "scaled to 0";
      } else if (notReady.isEmpty()) {
        phase = "running";
      } else {
        phase = "deploying: " + (wanted - notReady.size()) + " of " + wanted + " instances ready";
      }
      List<String> errors = new ArrayList<>();
      if (!record.notice().isEmpty()) {
        errors.add(record.notice());
      }
      errors.addAll(problems);
      PodGroupCondition next = new PodGroupCondition(phase, String.join("; ", errors), pass.now);
      PodGroupCondition previous = pass.state.conditions().get(spec.name());
      if (previous == null || !previous.sameAs(next)) {
        pass.actions.add(new Action.SetCondition(spec.name(), next));
      }
    }

    private boolean hasOldCopies() {
      return assigned.stream()
          .anyMatch(
              a ->
                  a.id().version() != spec.version()
                      && a.id().instance() <= spec.numInstances()
                      && !pass.removed.contains(a.id()));
    }
  }
}
