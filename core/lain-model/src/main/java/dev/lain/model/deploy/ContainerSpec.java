package dev.lain.model.deploy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What runs in each instance of a pod group. The console builds it from lain.yaml; everything else
 * derives changed copies through {@link #toBuilder()}.
 *
 * @param entrypoint empty to keep the image's; present (possibly an empty list) to override it
 * @param command empty to keep the image's CMD
 * @param env {@code KEY=VALUE} entries, the app's own and LAIN's ({@code LAIN_APPNAME}, ...)
 * @param port the port the process listens on, published on the node; 0 for none
 * @param volumes container paths kept on the node under the instance's volume directory
 * @param memoryBytes the memory limit, within {@link Limits}
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
    Limits.require("memory", Limits.memoryProblem(memoryBytes, MemorySize.format(memoryBytes)));
    Limits.require("cpu", Limits.cpuProblem(cpuLevel));
  }

  /** A container of {@code image} with LAIN's defaults: 32m, cpu level 0, nothing overridden. */
  public static ContainerSpec of(String image) {
    return new Builder(image).build();
  }

  /** What one instance reserves on its node. */
  public Resources request() {
    return new Resources(memoryBytes, Resources.cpuMillisForLevel(cpuLevel));
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The same container with other limits: an upgrade needs new containers for them. */
  public ContainerSpec withLimits(long newMemoryBytes, int newCpuLevel) {
    return toBuilder().memoryBytes(newMemoryBytes).cpuLevel(newCpuLevel).build();
  }

  public ContainerSpec withCommand(List<String> newCommand) {
    return toBuilder().command(newCommand).build();
  }

  public ContainerSpec withPort(int newPort) {
    return toBuilder().port(newPort).build();
  }

  public ContainerSpec withImage(String newImage) {
    return toBuilder().image(newImage).build();
  }

  public ContainerSpec withMemory(long bytes) {
    return toBuilder().memoryBytes(bytes).build();
  }

  /** Builds a container spec; {@link #build()} checks it. */
  public static final class Builder {
    private String image;
    private Optional<List<String>> entrypoint = Optional.empty();
    private List<String> command = List.of();
    private List<String> env = List.of();
    private String user = "";
    private String workdir = "";
    private int port;
    private List<String> volumes = List.of();
    private Map<String, String> labels = Map.of();
    private long memoryBytes = MemorySize.DEFAULT.bytes();
    private int cpuLevel;

    public Builder(String image) {
      this.image = image;
    }

    private Builder(ContainerSpec c) {
      image = c.image;
      entrypoint = c.entrypoint;
      command = c.command;
      env = c.env;
      user = c.user;
      workdir = c.workdir;
      port = c.port;
      volumes = c.volumes;
      labels = c.labels;
      memoryBytes = c.memoryBytes;
      cpuLevel = c.cpuLevel;
    }

    public Builder image(String value) {
      image = value;
      return this;
    }

    public Builder entrypoint(Optional<List<String>> value) {
      entrypoint = value;
      return this;
    }

    public Builder command(List<String> value) {
      command = value;
      return this;
    }

    public Builder env(List<String> value) {
      env = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder workdir(String value) {
      workdir = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder volumes(List<String> value) {
      volumes = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      labels = value;
      return this;
    }

    public Builder memoryBytes(long value) {
      memoryBytes = value;
      return this;
    }

    public Builder cpuLevel(int value) {
      cpuLevel = value;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(
          image,
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
  }
}
