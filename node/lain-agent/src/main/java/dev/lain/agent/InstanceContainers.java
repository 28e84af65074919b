package dev.lain.agent;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.ContainerSpec;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.runtime.ContainerRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns an assignment into a container request (pure). */
public final class InstanceContainers {
  /** The CFS period; the quota is a share of it. */
  static final long CPU_PERIOD_MICROS = 100_000;

  private InstanceContainers() {}

  /**
   * The container for {@code a}: LAIN's name, labels and environment, its memory and CPU limits, on
   * the cluster's container {@code network} (its own address, no host port) or, on a node without
   * one, with its port published on {@code nodeIp:hostPort}; its volumes under {@code
   * <dataRoot>/volumes/<app>/<pod group>/<instance>}.
   */
  public static ContainerRequest request(
      Assignment a, Optional<String> network, String nodeIp, int hostPort, Path dataRoot) {
    ContainerSpec c = a.spec().container();
    List<String> env = new ArrayList<>(c.env());
    env.add("DEPLOYD_POD_INSTANCE_NO=" + a.id().instance());
    env.add("DEPLOYD_POD_NAME=" + a.id().podGroup());
    env.add("DEPLOYD_POD_NAMESPACE=" + a.spec().app());
    List<ContainerRequest.Bind> binds = new ArrayList<>();
    for (String volume : c.volumes()) {
      binds.add(
          new ContainerRequest.Bind(volumeDir(a, dataRoot, volume).toString(), volume, false));
    }
    Optional<ContainerRequest.PortBinding> port =
        network.isEmpty() && c.port() > 0 && hostPort > 0
            ? Optional.of(new ContainerRequest.PortBinding(nodeIp, hostPort, c.port()))
            : Optional.empty();
    Optional<ContainerRequest.CommandHealthCheck> health =
        a.spec().health() instanceof HealthCheck.Command cmd
            ? Optional.of(
                new ContainerRequest.CommandHealthCheck(
                    cmd.shell(),
                    seconds(cmd.interval().toSeconds()),
                    seconds(cmd.timeout().toSeconds()),
                    cmd.retries()))
            : Optional.empty();
    long cpuMillis = c.request().cpuMillis();
    return new ContainerRequest(
        a.id().containerName(),
        c.image(),
        c.entrypoint(),
        c.command(),
        env,
        ContainerLabels.of(a),
        c.user(),
        c.workdir(),
        c.memoryBytes(),
        cpuMillis * CPU_PERIOD_MICROS / 1000,
        CPU_PERIOD_MICROS,
        port,
        binds,
        health,
        true,
        network);
  }

  /** Where a volume of {@code a}'s instance lives on the node. */
  public static Path volumeDir(Assignment a, Path dataRoot, String containerPath) {
    String relative = containerPath.startsWith("/") ? containerPath.substring(1) : containerPath;
    return dataRoot
        .resolve("volumes")
        .resolve(a.spec().app())
        .resolve(a.id().podGroup())
        .resolve(Integer.toString(a.id().instance()))
        .resolve(relative);
  }

  private static int seconds(long s) {
    return (int) Math.max(1, s);
  }
}
