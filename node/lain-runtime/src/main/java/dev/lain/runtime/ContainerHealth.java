package dev.lain.runtime;

/** The verdict of a container's own HEALTHCHECK. */
public enum ContainerHealth {
  /** The container has no health check. */
  NONE,
  STARTING,
  HEALTHY,
  UNHEALTHY
}
