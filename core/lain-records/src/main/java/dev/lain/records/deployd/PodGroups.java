package dev.lain.records.deployd;

import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.DriftRequest;
import dev.lain.model.deploy.Instances;
import dev.lain.model.deploy.Limits;
import dev.lain.model.deploy.MemorySize;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.Operation;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.web.Mountpoints;
import dev.lain.records.RecordException;
import dev.lain.records.StoreChange;
import dev.lain.store.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one writer of what people ask of pod groups and nodes: deploy, upgrade, resize, operate,
 * drift, remove, node modes. Every rule of those requests lives here, so the console API, the
 * deployd API and lainctl refuse the same things with the same words. Each change is one
 * compare-and-set of the pod group record, or its part of a larger {@link StoreChange} (an app's
 * deploy); the engine carries it out.
 */
public final class PodGroups {
  private final DeploydState state;

  public PodGroups(DeploydState state) {
    this.state = state;
  }

  /** The limits a resize may change, any of them; empty ones stay as they are. */
  public record Resize(OptionalInt numInstances, OptionalLong memoryBytes, OptionalInt cpuLevel) {
    public Resize {
      numInstances.ifPresent(n -> refuse("num_instances", Limits.instancesProblem(n)));
      cpuLevel.ifPresent(c -> refuse("cpu", Limits.cpuProblem(c)));
      memoryBytes.ifPresent(m -> refuse("memory", Limits.memoryProblem(m, MemorySize.format(m))));
      if (numInstances.isEmpty() && memoryBytes.isEmpty() && cpuLevel.isEmpty()) {
        throw RecordException.invalid("give num_instances, cpu or memory to scale");
      }
    }

    public static Resize instances(int n) {
      return new Resize(OptionalInt.of(n), OptionalLong.empty(), OptionalInt.empty());
    }
  }

  // ---- reads -----------------------------------------------------------------------------

  public PodGroupView get(String name) {
    return read(() -> state.snapshot().podGroupView(name))
        .orElseThrow(() -> RecordException.notFound("no pod group " + name));
  }

  /** Every pod group, or those of one app. */
  public List<PodGroupView> list(Optional<String> app) {
    return read(() -> state.snapshot().podGroupViews(app));
  }

  // ---- changes ---------------------------------------------------------------------------

  /** Deploys a new pod group; its spec becomes version 1 (or follows a removed one's). */
  public void create(PodGroupSpec spec) {
    if (!commit(creation(spec))) {
      throw RecordException.conflict(
          "pod group " + spec.name() + " exists already: upgrade it or remove it");
    }
  }

  /** The writes of {@link #create}, to commit with others; they fail if the pod group exists. */
  public StoreChange creation(PodGroupSpec spec) {
    checkMountpoints(spec);
    return read(() -> state.podGroupCreation(PodGroupRecord.deployed(spec.withVersion(1))));
  }

  public void remove(String name) {
    if (!read(() -> state.removePodGroup(name))) {
      throw RecordException.notFound("no pod group " + name);
    }
  }

  /** The writes of {@link #remove}, to commit with others; they fail if it changes meanwhile. */
  public StoreChange removal(String name) {
    return read(() -> state.podGroupRemoval(name))
        .orElseThrow(() -> RecordException.notFound("no pod group " + name));
  }

  /**
   * Changes the instance count and the container's limits in one write, so that a request for both
   * never ends half applied. New limits need new containers: they make a new version (a rolling
   * upgrade); a count alone does not.
   */
  public PodGroupRecord resize(String name, Resize resize) {
    return resize(name, resize, StoreChange.NONE);
  }

  /** A resize that commits together with {@code alsoWrite} (its audit record), or not at all. */
  public PodGroupRecord resize(String name, Resize resize, StoreChange alsoWrite) {
    return change(
        name,
        alsoWrite,
        r -> {
          PodGroupSpec spec = r.spec();
          ContainerSpec c = spec.container();
          int count = resize.numInstances().orElse(spec.numInstances());
          long memory = resize.memoryBytes().orElse(c.memoryBytes());
          int cpu = resize.cpuLevel().orElse(c.cpuLevel());
          if (memory == c.memoryBytes() && cpu == c.cpuLevel()) {
            return r.withSpec(spec.withNumInstances(count));
          }
          return r.upgradedTo(spec.upgradedTo(c.withLimits(memory, cpu)).withNumInstances(count));
        });
  }

  /**
   * A rolling upgrade to {@code next}: its version becomes the current one + 1 and the instance
   * count stays as scaled; with {@code keepLimits}, the live memory and cpu too (an app upgrade
   * keeps what was scaled since lain.yaml).
   */
  public PodGroupRecord upgrade(String name, PodGroupSpec next, boolean keepLimits) {
    checkUpgrade(name, next);
    return change(name, StoreChange.NONE, r -> upgraded(r, next, keepLimits));
  }

  /**
   * The writes of {@link #upgrade} to the pod group as it is now, or of {@link #create} if there is
   * none, to commit with others; they fail if it changes meanwhile.
   */
  public StoreChange deployment(PodGroupSpec next, boolean keepLimits) {
    checkUpgrade(next.name(), next);
    return read(
        () ->
            state
                .podGroup(next.name())
                .map(
                    current ->
                        state.podGroupUpdate(
                            upgraded(current.value(), next, keepLimits), current.modRevision()))
                .orElseGet(() -> creation(next)));
  }

  private static void checkUpgrade(String name, PodGroupSpec next) {
    if (!next.name().equals(name)) {
      throw RecordException.invalid("the spec is for " + next.name() + ", not " + name);
    }
    checkMountpoints(next);
  }

  private static PodGroupRecord upgraded(PodGroupRecord r, PodGroupSpec next, boolean keepLimits) {
    ContainerSpec live = r.spec().container();
    ContainerSpec container =
        keepLimits
            ? next.container().withLimits(live.memoryBytes(), live.cpuLevel())
            : next.container();
    return r.upgradedTo(
        next.with(
            s ->
                s.container(container)
                    .version(r.spec().version() + 1)
                    .numInstances(r.spec().numInstances())));
  }

  /** Starts, stops or restarts instance {@code instance} of the pod group, or all of them. */
  public PodGroupRecord operate(String name, Operation operation, OptionalInt instance) {
    return change(name, StoreChange.NONE, r -> r.operated(operation, choose(r, instance)));
  }

  /** Moves instance {@code instance} to node {@code to}, or to any other node. */
  public PodGroupRecord drift(String name, int instance, Optional<String> to, boolean force) {
    to.ifPresent(this::requireNode);
    return change(
        name,
        StoreChange.NONE,
        r -> {
          choose(r, OptionalInt.of(instance));
          return r.withDrift(instance, new DriftRequest(to, force));
        });
  }

  /** Maintenance, draining or back to active. */
  public void setNodeMode(String node, NodeMode mode) {
    requireNode(node);
    read(
        () -> {
          state.setNodeMode(node, mode);
          return null;
        });
  }

  private void requireNode(String node) {
    if (!read(state::nodes).containsKey(node)) {
      throw RecordException.notFound("no node " + node);
    }
  }

  /** Mountpoints end up in nginx's configuration: a record that holds any other is refused. */
  private static void checkMountpoints(PodGroupSpec spec) {
    spec.web()
        .filter(w -> !w.unreadable().isEmpty())
        .ifPresent(
            w -> {
              String text = w.unreadable().getFirst();
              throw RecordException.invalid(
                  spec.name()
                      + ": mountpoint '"
                      + text
                      + "' "
                      + Mountpoints.problem(text).orElse("is not a mountpoint"));
            });
  }

  /** All instances, or the one named, which must be one of the pod group's 1..n. */
  private static Instances choose(PodGroupRecord r, OptionalInt instance) {
    if (instance.isEmpty()) {
      return Instances.ALL;
    }
    int n = instance.getAsInt();
    if (n < 1 || n > r.spec().numInstances()) {
      throw RecordException.invalid(
          r.name() + " has instances 1.." + r.spec().numInstances() + ", not " + n);
    }
    return Instances.one(n);
  }

  /** Applies {@code change} to the pod group as it is, again if someone changed it meanwhile. */
  private PodGroupRecord change(
      String name, StoreChange alsoWrite, Function<PodGroupRecord, PodGroupRecord> change) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Versioned<PodGroupRecord> current =
          read(() -> state.podGroup(name))
              .orElseThrow(() -> RecordException.notFound("no pod group " + name));
      PodGroupRecord next = change.apply(current.value());
      if (commit(state.podGroupUpdate(next, current.modRevision()).plus(alsoWrite))) {
        return next;
      }
    }
    throw RecordException.conflict("pod group " + name + " keeps changing; try again");
  }

  private boolean commit(StoreChange change) {
    return read(() -> state.commit(change));
  }

  private static void refuse(String field, Optional<String> problem) {
    problem.ifPresent(
        p -> {
          throw RecordException.invalid(field + " " + p);
        });
  }

  /** Store failures become {@code UNAVAILABLE}; a record that keeps changing, {@code CONFLICT}. */
  public static <T> T read(Supplier<T> action) {
    try {
      return action.get();
    } catch (StoreException e) {
      throw new RecordException(
          RecordException.Code.UNAVAILABLE, "the cluster store is unavailable: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw RecordException.conflict(e.getMessage());
    }
  }
}
