package dev.lain.runtime;

/** Docker's container states, as far as the agent cares. */
public enum ContainerState {
  CREATED,
  RUNNING,
  /** Paused or restarting: not serving, not ended. */
  TRANSIENT,
  EXITED,
  /** Docker could not remove it cleanly. */
  DEAD
}
