package dev.lain.console;

import dev.lain.model.ClusterDomains;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.NodeConstraint;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.model.deploy.RestartPolicy;
import dev.lain.model.deploy.WebSettings;
import dev.lain.spec.AppSpec;
import dev.lain.spec.Command;
import dev.lain.spec.ContainerHealthcheck;
import dev.lain.spec.Filter;
import dev.lain.spec.Port;
import dev.lain.spec.ProcSpec;
import dev.lain.spec.ProcType;
import dev.lain.spec.Volume;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod groups an app's lain.yaml asks for: one per {@code web}, {@code worker} and {@code
 * oneshot} proc (portals are deployed with their clients, later). This is where lain.yaml becomes
 * records, once: nothing after the console reads lain.yaml. Pure.
 */
public final class PodGroupSpecs {
  /** How often the node agent checks a web proc's {@code healthcheck} path. */
  static final Duration HTTP_CHECK_INTERVAL = Duration.ofSeconds(3);

  static final Duration HTTP_CHECK_TIMEOUT = Duration.ofSeconds(2);
  static final int HTTP_CHECK_RETRIES = 3;

  private PodGroupSpecs() {}

  /**
   * The specs (version 1) of {@code app}'s pod groups.
   *
   * @param releaseImage the app's release image, used by procs that name no image of their own
   * @param metaVersion {@code <commit time>-<sha>}, given to the containers as
   *     LAIN_APP_RELEASE_VERSION
   * @param domains the cluster's domains; the main one becomes LAIN_DOMAIN
   */
  public static List<PodGroupSpec> of(
      AppSpec app, String releaseImage, String metaVersion, ClusterDomains domains) {
    List<PodGroupSpec> groups = new ArrayList<>();
    for (ProcSpec proc : app.procs()) {
      if (proc.type() != ProcType.PORTAL) {
        groups.add(of(app, proc, releaseImage, metaVersion, domains));
      }
    }
    return groups;
  }

  static PodGroupSpec of(
      AppSpec app, ProcSpec proc, String releaseImage, String metaVersion, ClusterDomains domains) {
    List<String> env = new ArrayList<>();
    for (Map.Entry<String, String> e : proc.env().entrySet()) {
      env.add(e.getKey() + "=" + e.getValue());
    }
    env.add("LAIN_APPNAME=" + app.appname());
    env.add("LAIN_PROCNAME=" + proc.name());
    env.add("LAIN_DOMAIN=" + domains.mainDomain());
    env.add("LAIN_APP_RELEASE_VERSION=" + metaVersion);
    ContainerSpec container =
        ContainerSpec.of(proc.image().orElse(releaseImage))
            .with(
                spec ->
                    spec.entrypoint(
                            proc.entrypoint() instanceof Command.Override e
                                ? Optional.of(e.argv())
                                : Optional.empty())
                        .command(
                            proc.cmd() instanceof Command.Override cmd ? cmd.argv() : List.of())
                        .env(env)
                        .user(proc.user())
                        .workdir(proc.workdir())
                        .port(proc.port().map(Port::number).orElse(0))
                        .volumes(proc.volumes().stream().map(Volume::path).toList())
                        .labels(proc.labels())
                        .memoryBytes(proc.memory().bytes())
                        .cpuLevel(proc.cpu()));
    Optional<WebSettings> web =
        proc.type() == ProcType.WEB
            ? Optional.of(
                new WebSettings(proc.mountpoints(), proc.name().equals("web"), proc.httpsOnly()))
            : Optional.empty();
    return new PodGroupSpec(
        app.podGroupName(proc),
        app.appname(),
        1,
        container,
        proc.numInstances(),
        proc.type() == ProcType.ONESHOT ? RestartPolicy.ON_FAILURE : RestartPolicy.ALWAYS,
        constraints(proc.filters()),
        proc.stateful(),
        health(proc),
        Duration.ofSeconds(proc.setupTimeSeconds()),
        Duration.ofSeconds(proc.killTimeoutSeconds()),
        web);
  }

  /**
   * Node constraints from lain.yaml filters. Affinity filters were Swarm's container affinities;
   * the scheduler spreads each pod group itself, so they are not enforced. A soft value ({@code
   * ~x}) is treated as a hard one.
   */
  static List<NodeConstraint> constraints(List<Filter> filters) {
    List<NodeConstraint> constraints = new ArrayList<>();
    for (Filter f : filters) {
      if (f.kind() == Filter.Kind.CONSTRAINT) {
        String value = f.value().startsWith("~") ? f.value().substring(1) : f.value();
        constraints.add(new NodeConstraint(f.key(), f.operator().equals("=="), value));
      }
    }
    return constraints;
  }

  /**
   * A container health check wins; else a web proc's {@code healthcheck} path is probed over HTTP;
   * else readiness is setup time.
   */
  static HealthCheck health(ProcSpec proc) {
    Optional<ContainerHealthcheck> check = proc.containerHealthcheck().filter(c -> !c.disabled());
    if (check.isPresent()) {
      ContainerHealthcheck c = check.get();
      return new HealthCheck.Command(
          c.cmd(),
          Duration.ofSeconds(c.intervalSeconds()),
          Duration.ofSeconds(c.timeoutSeconds()),
          c.retries());
    }
    if (proc.type() == ProcType.WEB && !proc.healthcheck().isEmpty() && proc.port().isPresent()) {
      return new HealthCheck.Http(
          proc.healthcheck(), HTTP_CHECK_INTERVAL, HTTP_CHECK_TIMEOUT, HTTP_CHECK_RETRIES);
    }
    return new HealthCheck.None();
  }
}
