package dev.lain.spec;

import dev.lain.model.AppNames;
import dev.lain.model.ClusterDomains;
import dev.lain.model.web.Mountpoint;
import dev.lain.model.web.Mountpoints;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated, normalised lain.yaml. Produced by {@link LainYaml#validate}; the derived values (pod
 * group names, app domain, effective mountpoints) are pure functions of it.
 *
 * @param giturl normalised as console does ({@code .git} stripped, {@code http://} added when there
 *     is no scheme); {@code ""} when not written
 * @param release empty when the build image is re-tagged as the release image
 * @param useServices service app to the service names this app uses, in document order
 * @param useResources resource app to what this app uses of it, in document order
 * @param notifications the {@code notify} section
 * @param procs in document order; a {@code service.<name>} key yields its worker, then its portal
 */
public record AppSpec(
    String appname,
    String giturl,
    AppType apptype,
    BuildSpec build,
    Optional<ReleaseSpec> release,
    Optional<TestSpec> test,
    Map<String, List<String>> useServices,
    Map<String, ResourceUse> useResources,
    NotifySpec notifications,
    List<ProcSpec> procs) {

  public AppSpec {
    Objects.requireNonNull(appname, "appname");
    Objects.requireNonNull(giturl, "giturl");
    Objects.requireNonNull(apptype, "apptype");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(test, "test");
    Map<String, List<String>> services = new LinkedHashMap<>();
    useServices.forEach((app, names) -> services.put(app, List.copyOf(names)));
    useServices = Copies.orderedMap(services);
    useResources = Copies.orderedMap(useResources);
    Objects.requireNonNull(notifications, "notifications");
    procs = List.copyOf(procs);
    AppNames.appnameProblem(appname)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("appname '" + appname + "' " + p);
            });
    Set<String> names = new HashSet<>();
    for (ProcSpec proc : procs) {
      if (!names.add(proc.name())) {
        throw new IllegalArgumentException("duplicate proc name: " + proc.name());
      }
    }
  }

  /** The proc called {@code name}. */
  public Optional<ProcSpec> proc(String name) {
    return procs.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The app name's dot-separated parts reversed: {@code hello} stays {@code hello}, the resource
   * instance {@code resource.redis.myapp} becomes {@code myapp.redis.resource}.
   */
  public String appdomain() {
    return Mountpoints.appdomain(appname);
  }

  /** {@code <appname>.<type>.<procname>}, e.g. {@code hello.web.web}. */
  public String podGroupName(ProcSpec proc) {
    return appname + "." + proc.type().word() + "." + proc.name();
  }

  /**
   * Where the web proc named {@code web} is reachable without declaring anything: {@code
   * <appdomain>.<d>} for each cluster domain, then {@code <appdomain>.lain}.
   */
  public List<Mountpoint> defaultMountpoints(ClusterDomains domains) {
    return Mountpoints.defaults(appname, domains);
  }

  /**
   * The mountpoints webrouter serves for {@code proc} in a cluster with {@code domains}: none for
   * procs that are not web procs; else as {@link Mountpoints#effective} says, with the defaults for
   * the proc named {@code web} only.
   *
   * @throws IllegalArgumentException if a default host would be longer than a DNS name may be (only
   *     possible with a cluster domain of about 190 characters or more)
   */
  public List<Mountpoint> mountpoints(ProcSpec proc, ClusterDomains domains) {
    if (proc.type() != ProcType.WEB) {
      return List.of();
    }
    return Mountpoints.effective(appname, proc.name().equals("web"), proc.mountpoints(), domains);
  }
}
