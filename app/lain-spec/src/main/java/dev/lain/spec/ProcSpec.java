package dev.lain.spec;

import dev.lain.model.AppNames;
import dev.lain.model.deploy.Limits;
import dev.lain.model.deploy.MemorySize;
import dev.lain.model.web.DeclaredMountpoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  /** For {@code lain scale}. */
  public ProcSpec withNumInstances(int instances) {
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
        instances,
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
        filters,
        secretFiles,
        secretFilesBypass,
        stateful,
        setupTimeSeconds,
        killTimeoutSeconds,
        dnsSearch,
        portal);
  }

  /** For {@code lain scale}. */
  public ProcSpec withCpu(int level) {
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
        level,
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
        filters,
        secretFiles,
        secretFilesBypass,
        stateful,
        setupTimeSeconds,
        killTimeoutSeconds,
        dnsSearch,
        portal);
  }

  /** For {@code lain scale}. */
  public ProcSpec withMemory(MemorySize limit) {
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
        limit,
        env,
        volumes,
        cloudVolumes,
        logs,
        mountpoints,
        httpsOnly,
        healthcheck,
        containerHealthcheck,
        labels,
        filters,
        secretFiles,
        secretFilesBypass,
        stateful,
        setupTimeSeconds,
        killTimeoutSeconds,
        dnsSearch,
        portal);
  }

  /** For deploys that pin the image. */
  public ProcSpec withImage(String pinned) {
    return new ProcSpec(
        type,
        name,
        key,
        Optional.of(pinned),
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
        filters,
        secretFiles,
        secretFilesBypass,
        stateful,
        setupTimeSeconds,
        killTimeoutSeconds,
        dnsSearch,
        portal);
  }
}
