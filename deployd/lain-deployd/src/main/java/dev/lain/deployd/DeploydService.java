package dev.lain.deployd;

import dev.lain.api.deployd.NodeSummary;
import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.deploy.EngineStatus;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.Operation;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.PodGroups;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * deployd's operations (LAIN's §7.3 API): the pod group and node changes of {@link PodGroups}, and
 * the engine's status and pause on the leader. They only change desired state; the engine carries
 * them out and the views show how far it got.
 */
public final class DeploydService {
  private final DeploydState state;
  private final PodGroups podGroups;
  private final Supplier<Optional<Engine>> engine;

  /**
   * @param engine the engine, when this master is the leader (status and pause go to it)
   */
  public DeploydService(DeploydState state, Supplier<Optional<Engine>> engine) {
    this.state = state;
    this.podGroups = new PodGroups(state);
    this.engine = engine;
  }

  public PodGroupView get(String name) {
    return podGroups.get(name);
  }

  public List<PodGroupView> list(Optional<String> app) {
    return podGroups.list(app);
  }

  public void create(PodGroupSpec spec) {
    podGroups.create(spec);
  }

  public void remove(String name) {
    podGroups.remove(name);
  }

  public void scale(String name, int instances) {
    podGroups.resize(name, PodGroups.Resize.instances(instances));
  }

  /** A rolling upgrade to {@code next}, as given (limits included). */
  public void upgrade(String name, PodGroupSpec next) {
    podGroups.upgrade(name, next, false);
  }

  public void operate(String name, Operation operation, OptionalInt instance) {
    podGroups.operate(name, operation, instance);
  }

  public void drift(String name, int instance, Optional<String> to, boolean force) {
    podGroups.drift(name, instance, to, force);
  }

  public List<NodeSummary> nodes() {
    return PodGroups.read(() -> state.snapshot().nodeSummaries());
  }

  public void setNodeMode(String node, NodeMode mode) {
    podGroups.setNodeMode(node, mode);
  }

  public List<RouterStatus> routers() {
    return PodGroups.read(state::routers);
  }

  /** The engine's status, if this master leads. */
  public Optional<EngineStatus> engineStatus() {
    return engine.get().map(Engine::status);
  }

  /** Stops or resumes the engine; false if this master does not lead (there is none here). */
  public boolean pauseEngine(boolean pause) {
    Optional<Engine> leading = engine.get();
    leading.ifPresent(e -> e.setPaused(pause));
    return leading.isPresent();
  }
}
