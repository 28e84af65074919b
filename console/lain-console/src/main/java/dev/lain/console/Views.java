package dev.lain.console;

import dev.lain.api.console.AppView;
import dev.lain.api.console.PodView;
import dev.lain.api.console.ProcView;
import dev.lain.api.deployd.PodGroupView;
import dev.lain.model.console.AppRecord;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.MemorySize;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.TargetState;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The console API's views of apps and procs: the console's record joined with deployd's runtime.
 */
final class Views {
  private Views() {}

  private static final Set<String> SETTLED = Set.of("running", "scaled to 0", "stopped");
  private static final Set<String> BROKEN = Set.of("failed", "crash_loop");

  static ProcView proc(PodGroupView v) {
    var spec = v.desired().spec();
    List<PodView> pods =
        v.instances().stream()
            .map(
                i ->
                    new PodView(
                        i.instance(),
                        i.version(),
                        i.container(),
                        i.node(),
                        i.nodeIp(),
                        i.address(),
                        i.port(),
                        i.hostPort(),
                        lower(i.target().name()),
                        i.state(),
                        lower(i.health().name()),
                        i.restarts(),
                        i.error(),
                        i.since()))
            .toList();
    return new ProcView(
        spec.procName(),
        spec.procType(),
        spec.name(),
        spec.version(),
        spec.container().image(),
        spec.numInstances(),
        spec.container().cpuLevel(),
        MemorySize.format(spec.container().memoryBytes()),
        v.condition().phase(),
        v.condition().error(),
        pods);
  }

  /**
   * The app's state: an error (the console's or the engine's) wins; then any running instance that
   * fails its checks or keeps crashing makes it unhealthy; then anything the engine has not
   * finished makes it deploying.
   */
  static String state(AppRecord app, List<PodGroupView> groups) {
    if (!app.lastError().isEmpty() || AppRecord.ERROR.equals(app.runningState())) {
      return AppView.ERROR;
    }
    if (groups.stream().anyMatch(g -> !g.condition().error().isEmpty())) {
      return AppView.ERROR;
    }
    boolean unhealthy =
        groups.stream()
            .flatMap(g -> g.instances().stream())
            .filter(i -> i.target() == TargetState.RUN)
            .anyMatch(i -> i.health() == Health.UNHEALTHY || BROKEN.contains(i.state()));
    if (unhealthy) {
      return AppView.UNHEALTHY;
    }
    if (AppRecord.DEPLOYING.equals(app.runningState())
        || groups.stream().anyMatch(g -> !SETTLED.contains(g.condition().phase()))
        || groups.stream().anyMatch(g -> !converged(g))) {
      return AppView.DEPLOYING;
    }
    return AppView.HEALTHY;
  }

  /**
   * Whether a long-running group runs exactly its wanted instances, all of its current version. The
   * engine's condition lags a fresh upgrade by one pass; this does not.
   */
  static boolean converged(PodGroupView g) {
    var spec = g.desired().spec();
    if (g.desired().target() != TargetState.RUN || spec.restartPolicy() != RestartPolicy.ALWAYS) {
      return true;
    }
    long current =
        g.instances().stream()
            .filter(i -> i.target() == TargetState.RUN && i.version() == spec.version())
            .filter(i -> i.state().equals("running"))
            .count();
    boolean older = g.instances().stream().anyMatch(i -> i.version() != spec.version());
    return current == spec.numInstances() && !older;
  }

  /** The first error to show with the state. */
  static String lastError(AppRecord app, List<PodGroupView> groups) {
    if (!app.lastError().isEmpty()) {
      return app.lastError();
    }
    return groups.stream()
        .map(g -> g.condition().error())
        .filter(e -> !e.isEmpty())
        .findFirst()
        .orElse("");
  }

  static AppView app(AppRecord app, List<PodGroupView> groups) {
    return new AppView(
        app.appname(),
        app.metaVersion(),
        app.releaseImage(),
        state(app, groups),
        lastError(app, groups),
        app.lastUpdate(),
        app.updatedBy(),
        groups.stream().map(Views::proc).toList());
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
