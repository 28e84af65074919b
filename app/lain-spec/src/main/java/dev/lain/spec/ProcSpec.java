package dev.lain.spec;

import dev.lain.model.AppNames;
import dev.lain.model.DnsNames;
import dev.lain.model.deploy.Limits;
import dev.lain.model.deploy.MemorySize;
import dev.lain.model.web.DeclaredMountpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One proc of an app, with LAIN's defaults applied and paths normalised.
 *
 * @param type what kind of proc
 * @param name the proc name ({@code web} for key {@code web}, {@code admin} for {@code web.admin})
 * @param key the lain.yaml key it came from, as written ({@code service.redis} for both procs of a
 *     service shorthand)
 * @param image a custom image; empty means the app's release image
 * @param entrypoint replaces the image's entrypoint when written
 * @param cmd replaces the image's command when written
 * @param user {@code ""} for the image's user
 * @param workdir {@code ""} for the image's working directory
 * @param port the listening port; web procs default to 80, others have none unless written
 * @param ports streamrouter mappings
 * @param numInstances instances at first deploy (later changed by scaling)
 * @param cpu CPU level, 0..8 (deployd treats below 1 as level 2)
 * @param memory memory limit (memory + swap)
 * @param env environment variables in document order
 * @param volumes host-bind volumes; always ends with /lain/logs
 * @param cloudVolumes volumes on the shared file system, if any
 * @param logs file names under /lain/logs that rebellion collects
 * @param mountpoints declared mountpoints (web procs only; see {@link AppSpec#mountpoints})
 * @param httpsOnly redirect HTTP to HTTPS (web procs only)
 * @param healthcheck URL path webrouter checks, {@code ""} for none (web procs only)
 * @param containerHealthcheck docker HEALTHCHECK, if any
 * @param labels extra container labels
 * @param filters scheduling filters; includes the default group filter unless one is written
 * @param secretFiles absolute paths of files fetched from lvault
 * @param secretFilesBypass deploy even when lvault fails
 * @param stateful never moved to another node
 * @param setupTimeSeconds pause between upgrading consecutive instances, 0..120
 * @param killTimeoutSeconds docker stop timeout, 10..60
 * @param dnsSearch DNS search domains; always includes {@code <appdomain>.lain}
 * @param portal present exactly for portal procs
 */
public record ProcSpec(
    ProcType type,
    String name,
    String key,
    Optional<String> image,
    Command entrypoint,
    Command cmd,
    String user,
    String workdir,
    Optional<Port> port,
    List<StreamPort> ports,
    int numInstances,
    int cpu,
    MemorySize memory,
    Map<String, String> env,
    List<Volume> volumes,
    Optional<CloudVolumes> cloudVolumes,
    List<String> logs,
    List<DeclaredMountpoint> mountpoints,
    boolean httpsOnly,
    String healthcheck,
    Optional<ContainerHealthcheck> containerHealthcheck,
    Map<String, String> labels,
    List<Filter> filters,
    List<String> secretFiles,
    boolean secretFilesBypass,
    boolean stateful,
    int setupTimeSeconds,
    int killTimeoutSeconds,
    List<String> dnsSearch,
    Optional<PortalSettings> portal) {

  public static final int DEFAULT_INSTANCES = 1;
  public static final int MAX_SETUP_TIME = 120;
  public static final int MIN_KILL_TIMEOUT = 10;
  public static final int MAX_KILL_TIMEOUT = 60;

  public ProcSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(entrypoint, "entrypoint");
    Objects.requireNonNull(cmd, "cmd");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workdir, "workdir");
    Objects.requireNonNull(port, "port");
    ports = List.copyOf(ports);
    Objects.requireNonNull(memory, "memory");
    env = Copies.orderedMap(env);
    volumes = List.copyOf(volumes);
    Objects.requireNonNull(cloudVolumes, "cloudVolumes");
    logs = List.copyOf(logs);
    mountpoints = List.copyOf(mountpoints);
    Objects.requireNonNull(healthcheck, "healthcheck");
    Objects.requireNonNull(containerHealthcheck, "containerHealthcheck");
    labels = Copies.orderedMap(labels);
    filters = List.copyOf(filters);
    secretFiles = List.copyOf(secretFiles);
    dnsSearch = List.copyOf(dnsSearch);
    Objects.requireNonNull(portal, "portal");

    AppNames.procNameProblem(name)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("proc name '" + name + "' " + p);
            });
    Limits.require("num_instances", Limits.instancesProblem(numInstances));
    Limits.require("cpu", Limits.cpuProblem(cpu));
    require(setupTimeSeconds >= 0 && setupTimeSeconds <= MAX_SETUP_TIME, "setup_time 0..120");
    require(
        killTimeoutSeconds >= MIN_KILL_TIMEOUT && killTimeoutSeconds <= MAX_KILL_TIMEOUT,
        "kill_timeout 10..60");
    require(
        volumes.stream().anyMatch(v -> v.path().equals(ContainerPaths.LOGS_DIR)),
        "volumes always include /lain/logs");
    require(type != ProcType.WEB || port.isPresent(), "web procs have a port");
    require(portal.isPresent() == (type == ProcType.PORTAL), "portal settings iff portal proc");
    require(
        type == ProcType.WEB || (mountpoints.isEmpty() && !httpsOnly && healthcheck.isEmpty()),
        "only web procs have mountpoints, https_only and healthcheck");
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalArgumentException(what);
    }
  }

  /** This proc with its own changes made through {@link Builder}. */
  private ProcSpec with(Consumer<Builder> change) {
    Builder b = new Builder(type, name, key, "");
    b.image = image;
    b.entrypoint = entrypoint;
    b.cmd = cmd;
    b.user = user;
    b.workdir = workdir;
    b.port = port;
    b.ports = ports;
    b.numInstances = numInstances;
    b.cpu = cpu;
    b.memory = memory;
    b.env = env;
    b.volumes = volumes;
    b.cloudVolumes = cloudVolumes;
    b.logs = logs;
    b.mountpoints = mountpoints;
    b.httpsOnly = httpsOnly;
    b.healthcheck = healthcheck;
    b.containerHealthcheck = containerHealthcheck;
    b.labels = labels;
    b.filters = filters;
    b.secretFiles = secretFiles;
    b.secretFilesBypass = secretFilesBypass;
    b.stateful = stateful;
    b.setupTime = setupTimeSeconds;
    b.killTimeout = killTimeoutSeconds;
    b.dnsSearch = dnsSearch;
    b.portal = portal;
    change.accept(b);
    return b.build();
  }

  public ProcSpec withNumInstances(int instances) {
    return with(b -> b.numInstances = instances);
  }

  public ProcSpec withCpu(int level) {
    return with(b -> b.cpu = level);
  }

  public ProcSpec withMemory(MemorySize limit) {
    return with(b -> b.memory = limit);
  }

  /** The proc with its image pinned (the release image a deploy runs). */
  public ProcSpec withImage(String pinned) {
    return with(b -> b.image = Optional.of(pinned));
  }

  /**
   * A proc being put together: starts with LAIN's defaults, fields overwrite them as they are read
   * (the lain.yaml reader sets them directly); {@link #build} checks the result.
   */
  static final class Builder {
    final ProcType type;
    final String name;
    final String key;
    Optional<String> image = Optional.empty();
    Command entrypoint = Command.INHERIT;
    Command cmd = Command.INHERIT;
    String user = "";
    String workdir = "";
    Optional<Port> port = Optional.empty();
    List<StreamPort> ports = List.of();
    int numInstances = ProcSpec.DEFAULT_INSTANCES;
    int cpu = 0;
    MemorySize memory = MemorySize.DEFAULT;
    Map<String, String> env = Map.of();
    List<Volume> volumes = List.of(Volume.LOGS);
    Optional<CloudVolumes> cloudVolumes = Optional.empty();
    List<String> logs = List.of();
    List<DeclaredMountpoint> mountpoints = List.of();
    boolean httpsOnly = false;
    String healthcheck = "";
    Optional<ContainerHealthcheck> containerHealthcheck = Optional.empty();
    Map<String, String> labels = Map.of();
    List<Filter> filters = List.of();
    List<String> secretFiles = List.of();
    boolean secretFilesBypass = false;
    boolean stateful = false;
    int setupTime = 0;
    int killTimeout = ProcSpec.MIN_KILL_TIMEOUT;
    List<String> dnsSearch = List.of();
    Optional<PortalSettings> portal = Optional.empty();

    /** The app's domain, for the proc's own DNS search domain; empty for a copy. */
    private final String appdomain;

    Builder(ProcType type, String name, String key, String appdomain) {
      this.type = type;
      this.name = name;
      this.key = key;
      this.appdomain = appdomain;
    }

    ProcSpec build() {
      List<Filter> allFilters = new ArrayList<>(filters);
      if (allFilters.stream().noneMatch(Filter::isGroupConstraint)) {
        allFilters.add(Filter.DEFAULT_GROUP);
      }
      List<String> search = new ArrayList<>(dnsSearch);
      // A copy of a read proc has its own search domain already (and no appdomain here).
      String own = DnsNames.normalize(appdomain + ".lain");
      if (!appdomain.isEmpty() && !search.contains(own)) {
        search.add(own);
      }
      return new ProcSpec(
          type,
          name,
          key,
          image,
          entrypoint,
          cmd,
          user,
          workdir,
          port,
          ports,
          numInstances,
          cpu,
          memory,
          env,
          volumes,
          cloudVolumes,
          logs,
          mountpoints,
          httpsOnly,
          healthcheck,
          containerHealthcheck,
          labels,
          allFilters,
          secretFiles,
          secretFilesBypass,
          stateful,
          setupTime,
          killTimeout,
          search,
          portal);
    }
  }
}
