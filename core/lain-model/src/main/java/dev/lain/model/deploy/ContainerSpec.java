package dev.lain.model.deploy;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What runs in each instance of a pod group. The console builds it from lain.yaml; everything else
 * derives changed copies through the generated {@code with...} methods ({@link
 * ContainerSpecBuilder.With}).
 *
 * @param entrypoint empty to keep the image's; present (possibly an empty list) to override it
 * @param command empty to keep the image's CMD
 * @param env {@code KEY=VALUE} entries, the app's own and LAIN's ({@code LAIN_APPNAME}, ...)
 * @param port the port the process listens on, published on the node; 0 for none
 * @param volumes container paths kept on the node under the instance's volume directory
 * @param memoryBytes the memory limit, within {@link Limits}
 * @param cpuLevel LAIN's cpu level, 0..8 (see {@link Resources#cpuMillisForLevel})
 */
@RecordBuilder
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
    int cpuLevel)
    implements ContainerSpecBuilder.With {

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
        MemorySize.DEFAULT.bytes(),
        0);
  }

  /** What one instance reserves on its node. */
  public Resources request() {
    return new Resources(memoryBytes, Resources.cpuMillisForLevel(cpuLevel));
  }

  /** The same container with other limits: an upgrade needs new containers for them. */
  public ContainerSpec withLimits(long newMemoryBytes, int newCpuLevel) {
    return with(c -> c.memoryBytes(newMemoryBytes).cpuLevel(newCpuLevel));
  }
}
