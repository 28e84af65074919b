package dev.lain.model.deploy;

/** The result of an instance's health check. */
public enum Health {
  /** The pod group has no health check. */
  NONE,
  /** Checked, no verdict yet. */
  STARTING,
  HEALTHY,
  UNHEALTHY
}
