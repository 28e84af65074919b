package dev.lain.model.deploy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What runs in each instance of a pod group.
 *
 * @param entrypoint empty to keep the image's; present (possibly an empty list) to override it
 * @param command empty to keep the image's CMD
 * @param env {@code KEY=VALUE} entries, the app's own and LAIN's ({@code LAIN_APPNAME}, ...)
 * @param port the port the process listens on, published on the node; 0 for none
 * @param volumes container paths kept on the node under the instance's volume directory
 * @param cpuLevel LAIN's cpu level, 0..8 (see {@link Resources#cpuMillisForLevel})
 */
public record ContainerSpec(
    String image,
    Optional<List<String>> entrypoint,
    List<String> command,
    List<String> env,
    String user,
    String workdir,
    int port,
    List<String> volumes,
    Map<String, String> labels,
    long memoryBytes,
    int cpuLevel) {

  public ContainerSpec {
    Objects.requireNonNull(image, "image");
    if (image.isBlank()) {
      throw new IllegalArgumentException("a container needs an image");
    }
    entrypoint = entrypoint.map(List::copyOf);
    command = List.copyOf(command);
    env = List.copyOf(env);
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workdir, "workdir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    volumes = List.copyOf(volumes);
    labels = Map.copyOf(labels);
    if (memoryBytes <= 0) {
      throw new IllegalArgumentException("a container needs a memory limit");
    }
    Resources.cpuMillisForLevel(cpuLevel);
  }

  /** A container of {@code image} with LAIN's defaults: 32m, cpu level 0, nothing overridden. */
  public static ContainerSpec of(String image) {
    return new ContainerSpec(
        image,
        Optional.empty(),
        List.of(),
        List.of(),
        "",
        "",
        0,
        List.of(),
        Map.of(),
        32L << 20,
        0);
  }

  /** What one instance reserves on its node. */
  public Resources request() {
    return new Resources(memoryBytes, Resources.cpuMillisForLevel(cpuLevel));
  }

  public ContainerSpec withCommand(List<String> newCommand) {
    return new ContainerSpec(
        image,
        entrypoint,
        newCommand,
        env,
        user,
        workdir,
        port,
        volumes,
        labels,
        memoryBytes,
        cpuLevel);
  }

  public ContainerSpec withPort(int newPort) {
    return new ContainerSpec(
        image,
        entrypoint,
        command,
        env,
        user,
        workdir,
        newPort,
        volumes,
        labels,
        memoryBytes,
        cpuLevel);
  }

  public ContainerSpec withEnv(List<String> newEnv) {
    return new ContainerSpec(
        image,
        entrypoint,
        command,
        newEnv,
        user,
        workdir,
        port,
        volumes,
        labels,
        memoryBytes,
        cpuLevel);
  }

  public ContainerSpec withImage(String newImage) {
    return new ContainerSpec(
        newImage,
        entrypoint,
        command,
        env,
        user,
        workdir,
        port,
        volumes,
        labels,
        memoryBytes,
        cpuLevel);
  }

  public ContainerSpec withMemory(long bytes) {
    return new ContainerSpec(
        image, entrypoint, command, env, user, workdir, port, volumes, labels, bytes, cpuLevel);
  }

  public ContainerSpec withVolumes(List<String> newVolumes) {
    return new ContainerSpec(
        image,
        entrypoint,
        command,
        env,
        user,
        workdir,
        port,
        newVolumes,
        labels,
        memoryBytes,
        cpuLevel);
  }
}
