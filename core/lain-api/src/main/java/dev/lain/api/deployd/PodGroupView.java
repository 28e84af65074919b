package dev.lain.api.deployd;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.Health;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.deploy.RunState;
import dev.lain.model.deploy.TargetState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A pod group as the API shows it: its desired state, the engine's verdict and every instance copy
 * with where it runs and how it is doing.
 */
public record PodGroupView(
    String name,
    String app,
    PodGroupRecord desired,
    PodGroupCondition condition,
    List<InstanceView> instances) {

  /**
   * One assigned copy of an instance.
   *
   * @param state empty until its agent reports
   * @param address its address on the cluster's container network, empty when it has none
   * @param port the proc's port in the container, 0 if none
   * @param hostPort the port published on {@code nodeIp}, 0 if none
   */
  public record InstanceView(
      int instance,
      long version,
      int drift,
      String container,
      String node,
      String nodeIp,
      String address,
      int port,
      int hostPort,
      TargetState target,
      String state,
      Health health,
      int restarts,
      boolean oomKilled,
      int exitCode,
      String error,
      Instant since) {

    public static InstanceView of(Assignment a, InstanceStatus s) {
      if (s == null) {
        return new InstanceView(
            a.id().instance(),
            a.id().version(),
            a.id().drift(),
            a.id().containerName(),
            a.node(),
            "",
            "",
            0,
            0,
            a.target(),
            "",
            Health.NONE,
            0,
            false,
            0,
            "",
            a.assignedAt());
      }
      return new InstanceView(
          a.id().instance(),
          a.id().version(),
          a.id().drift(),
          a.id().containerName(),
          a.node(),
          s.nodeIp(),
          s.address(),
          s.port(),
          s.hostPort(),
          a.target(),
          stateName(s.state()),
          s.health(),
          s.restarts(),
          s.oomKilled(),
          s.exitCode(),
          s.error(),
          s.since());
    }

    private static String stateName(RunState state) {
      return state.name().toLowerCase(Locale.ROOT);
    }
  }
}
