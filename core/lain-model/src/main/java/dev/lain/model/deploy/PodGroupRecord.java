package dev.lain.model.deploy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A pod group as the master keeps it: the spec to run plus the operators' requests on it.
 *
 * @param previous the spec before the last upgrade, to roll back to when the upgrade fails
 * @param target STOP keeps every instance stopped (LAIN's stop of a whole group)
 * @param stoppedInstances instances stopped one by one
 * @param restartGenerations per instance: raised by a restart request
 * @param drifts per instance: a request to move it to another node
 * @param notice what the engine did on its own that people must see until the next upgrade (an
 *     automatic rollback); empty if nothing
 */
public record PodGroupRecord(
    PodGroupSpec spec,
    Optional<PodGroupSpec> previous,
    TargetState target,
    Set<Integer> stoppedInstances,
    Map<Integer, Long> restartGenerations,
    Map<Integer, DriftRequest> drifts,
    String notice) {

  public PodGroupRecord {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(target, "target");
    stoppedInstances = Set.copyOf(stoppedInstances);
    restartGenerations = Map.copyOf(restartGenerations);
    drifts = Map.copyOf(drifts);
    Objects.requireNonNull(notice, "notice");
  }

  /** A freshly deployed pod group. */
  public static PodGroupRecord deployed(PodGroupSpec spec) {
    return new PodGroupRecord(
        spec, Optional.empty(), TargetState.RUN, Set.of(), Map.of(), Map.of(), "");
  }

  public String name() {
    return spec.name();
  }

  /** The target of instance {@code i}. */
  public TargetState targetOf(int instance) {
    return target == TargetState.STOP || stoppedInstances.contains(instance)
        ? TargetState.STOP
        : TargetState.RUN;
  }

  public long restartGenerationOf(int instance) {
    return restartGenerations.getOrDefault(instance, 0L);
  }

  /** A rolling upgrade to {@code next}, remembering the current spec for a rollback. */
  public PodGroupRecord upgradedTo(PodGroupSpec next) {
    if (next.version() <= spec.version()) {
      throw new IllegalArgumentException(
          "an upgrade needs a newer version than " + spec.version() + ": " + next.version());
    }
    return new PodGroupRecord(
        next, Optional.of(spec), target, stoppedInstances, restartGenerations, drifts, "");
  }

  public PodGroupRecord withSpec(PodGroupSpec newSpec) {
    return new PodGroupRecord(
        newSpec, previous, target, stoppedInstances, restartGenerations, drifts, notice);
  }

  public PodGroupRecord withTarget(TargetState newTarget) {
    return new PodGroupRecord(
        spec, previous, newTarget, Set.of(), restartGenerations, drifts, notice);
  }

  public PodGroupRecord withInstanceTarget(int instance, TargetState newTarget) {
    Set<Integer> stopped = new TreeSet<>(stoppedInstances);
    if (newTarget == TargetState.STOP) {
      stopped.add(instance);
    } else {
      stopped.remove(instance);
    }
    return new PodGroupRecord(spec, previous, target, stopped, restartGenerations, drifts, notice);
  }

  /** Starts, stops or restarts the chosen instances. */
  public PodGroupRecord operated(Operation operation, Instances which) {
    return switch (operation) {
      case START -> targeted(which, TargetState.RUN);
      case STOP -> targeted(which, TargetState.STOP);
      case RESTART -> restarted(which);
    };
  }

  private PodGroupRecord targeted(Instances which, TargetState target) {
    return switch (which) {
      case Instances.All all -> withTarget(target);
      case Instances.One one -> withInstanceTarget(one.number(), target);
    };
  }

  /** Restarts the chosen instances. */
  public PodGroupRecord restarted(Instances which) {
    Map<Integer, Long> generations = new TreeMap<>(restartGenerations);
    for (int i = 1; i <= spec.numInstances(); i++) {
      if (which.includes(i)) {
        generations.merge(i, 1L, Long::sum);
      }
    }
    return new PodGroupRecord(
        spec, previous, target, stoppedInstances, generations, drifts, notice);
  }

  public PodGroupRecord withDrift(int instance, DriftRequest request) {
    Map<Integer, DriftRequest> requests = new TreeMap<>(drifts);
    requests.put(instance, request);
    return new PodGroupRecord(
        spec, previous, target, stoppedInstances, restartGenerations, requests, notice);
  }

  /** The spec to fall back to after a failed upgrade, with a notice saying so. */
  public PodGroupRecord rolledBackTo(PodGroupSpec back, String why) {
    return new PodGroupRecord(
        back, Optional.empty(), target, stoppedInstances, restartGenerations, drifts, why);
  }

  public PodGroupRecord withoutDrift(int instance) {
    Map<Integer, DriftRequest> requests = new TreeMap<>(drifts);
    requests.remove(instance);
    return new PodGroupRecord(
        spec, previous, target, stoppedInstances, restartGenerations, requests, notice);
  }
}
