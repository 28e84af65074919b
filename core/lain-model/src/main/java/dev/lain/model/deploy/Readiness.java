package dev.lain.model.deploy;

import java.time.Instant;

/** When an instance can take requests: the engine's and the webrouter's shared rule. */
public final class Readiness {
  private Readiness() {}

  /**
   * Running, and healthy by the pod group's health check — or, without one, running for at least
   * its setup time.
   */
  public static boolean serving(PodGroupSpec spec, InstanceStatus status, Instant now) {
    if (status.state() != RunState.RUNNING) {
      return false;
    }
    return switch (spec.health()) {
      case HealthCheck.None none -> !now.isBefore(status.since().plus(spec.setupTime()));
      case HealthCheck.Command command -> status.health() == Health.HEALTHY;
      case HealthCheck.Http http -> status.health() == Health.HEALTHY;
    };
  }
}
