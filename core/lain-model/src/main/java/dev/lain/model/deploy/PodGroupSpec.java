package dev.lain.model.deploy;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The desired state of one pod group: {@code numInstances} instances (numbered 1..n) of {@code
 * container}, at spec {@code version}.
 *
 * @param name {@code <app>.<type>.<proc>}, e.g. {@code hello.web.web}
 * @param app the app (deployd's namespace)
 * @param version 1 for the first spec, +1 for every change
 * @param stateful hard stateful: instances never move off their node
 * @param setupTime how long an instance without a health check must run before it counts as ready
 * @param killTimeout how long a stopping instance gets before it is killed
 * @param web how the webrouter serves it (web procs only)
 */
@RecordBuilder
public record PodGroupSpec(
    String name,
    String app,
    long version,
    ContainerSpec container,
    int numInstances,
    RestartPolicy restartPolicy,
    List<NodeConstraint> constraints,
    boolean stateful,
    HealthCheck health,
    Duration setupTime,
    Duration killTimeout,
    Optional<WebSettings> web)
    implements PodGroupSpecBuilder.With {

  private static final Pattern NAME =
      Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9.-]*\\.(web|worker|oneshot|portal)\\.[a-zA-Z0-9-]+");

  public PodGroupSpec {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("pod group name must be <app>.<type>.<proc>: " + name);
    }
    Objects.requireNonNull(app, "app");
    if (!name.startsWith(app + ".")) {
      throw new IllegalArgumentException("pod group " + name + " does not belong to app " + app);
    }
    if (version < 1) {
      throw new IllegalArgumentException("spec versions start at 1: " + version);
    }
    Objects.requireNonNull(container, "container");
    Limits.require("num_instances", Limits.instancesProblem(numInstances));
    Objects.requireNonNull(restartPolicy, "restartPolicy");
    constraints = List.copyOf(constraints);
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(setupTime, "setupTime");
    Objects.requireNonNull(killTimeout, "killTimeout");
    if (setupTime.isNegative() || killTimeout.isNegative()) {
      throw new IllegalArgumentException("negative setup time or kill timeout");
    }
    Objects.requireNonNull(web, "web");
  }

  /** A pod group the webrouter does not serve. */
  public PodGroupSpec(
      String name,
      String app,
      long version,
      ContainerSpec container,
      int numInstances,
      RestartPolicy restartPolicy,
      List<NodeConstraint> constraints,
      boolean stateful,
      HealthCheck health,
      Duration setupTime,
      Duration killTimeout) {
    this(
        name,
        app,
        version,
        container,
        numInstances,
        restartPolicy,
        constraints,
        stateful,
        health,
        setupTime,
        killTimeout,
        Optional.empty());
  }

  /** The proc type: {@code web}, {@code worker}, {@code oneshot} or {@code portal}. */
  public String procType() {
    String rest = name.substring(app.length() + 1);
    return rest.substring(0, rest.indexOf('.'));
  }

  /** The proc name: {@code web} in {@code hello.web.web}. */
  public String procName() {
    String rest = name.substring(app.length() + 1);
    return rest.substring(rest.indexOf('.') + 1);
  }

  /** The log directory every instance gets; it alone does not tie an instance to its node. */
  public static final String LOG_VOLUME = "/lain/logs";

  /**
   * True if instances must come back on the node they ran on: hard stateful procs, and procs with
   * volumes other than the log directory (their data lives on that node).
   */
  public boolean pinnedToNode() {
    return stateful || container.volumes().stream().anyMatch(v -> !v.equals(LOG_VOLUME));
  }

  /** The next version of this pod group with another container (a rolling upgrade). */
  public PodGroupSpec upgradedTo(ContainerSpec newContainer) {
    return with(s -> s.version(version + 1).container(newContainer));
  }

  public PodGroupSpec withWeb(WebSettings settings) {
    return withWeb(Optional.of(settings));
  }
}
