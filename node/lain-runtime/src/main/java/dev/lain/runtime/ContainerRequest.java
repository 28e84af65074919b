package dev.lain.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to create a container.
 *
 * @param entrypoint empty to keep the image's; present (possibly an empty list) to override
 * @param command empty to keep the image's CMD
 * @param memoryBytes memory limit, also the memory+swap limit (no swap)
 * @param cpuQuotaMicros CPU time per {@code cpuPeriodMicros} (CFS quota); 0 for no limit
 * @param port a port to publish, if any
 * @param binds host directories mounted into the container
 * @param healthCheck a command Docker runs to judge health, if any
 * @param init run an init process (PID 1 forwards signals, reaps zombies) so stops are prompt
 * @param network the network to attach the container to (its address comes from there), or empty
 *     for the engine's default bridge
 */
public record ContainerRequest(
    String name,
    String image,
    Optional<List<String>> entrypoint,
    List<String> command,
    List<String> env,
    Map<String, String> labels,
    String user,
    String workdir,
    long memoryBytes,
    long cpuQuotaMicros,
    long cpuPeriodMicros,
    Optional<PortBinding> port,
    List<Bind> binds,
    Optional<CommandHealthCheck> healthCheck,
    boolean init,
    Optional<String> network) {

  public ContainerRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    entrypoint = entrypoint.map(List::copyOf);
    command = List.copyOf(command);
    env = List.copyOf(env);
    labels = Map.copyOf(labels);
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workdir, "workdir");
    Objects.requireNonNull(port, "port");
    binds = List.copyOf(binds);
    Objects.requireNonNull(healthCheck, "healthCheck");
    Objects.requireNonNull(network, "network");
  }

  /** Publishes {@code containerPort}/tcp on {@code hostIp:hostPort}. */
  public record PortBinding(String hostIp, int hostPort, int containerPort) {
    public PortBinding {
      Objects.requireNonNull(hostIp, "hostIp");
      if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
        throw new IllegalArgumentException("bad port binding " + hostPort + "->" + containerPort);
      }
    }
  }

  /** Mounts {@code hostPath} at {@code containerPath}. */
  public record Bind(String hostPath, String containerPath, boolean readOnly) {
    public Bind {
      Objects.requireNonNull(hostPath, "hostPath");
      Objects.requireNonNull(containerPath, "containerPath");
    }
  }

  /** Docker's HEALTHCHECK: {@code CMD-SHELL <shell>}. */
  public record CommandHealthCheck(
      String shell, int intervalSeconds, int timeoutSeconds, int retries) {
    public CommandHealthCheck {
      Objects.requireNonNull(shell, "shell");
      if (intervalSeconds < 1 || timeoutSeconds < 1 || retries < 1) {
        throw new IllegalArgumentException("health check timings must be positive");
      }
    }
  }
}
