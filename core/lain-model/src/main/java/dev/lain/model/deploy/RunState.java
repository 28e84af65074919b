package dev.lain.model.deploy;

/** What an instance's container is doing, as its agent sees it. */
public enum RunState {
  /** Being created or started (image present, container not running yet). */
  CREATING,
  RUNNING,
  /** The process ended; {@code exitCode} says how. A oneshot that exited 0 is complete. */
  EXITED,
  /** It could not be created or started; {@code error} says why. */
  FAILED,
  /** It kept exiting: the agent stopped restarting it ({@code error} says how often). */
  CRASH_LOOP,
  /** Stopped on purpose (target state STOP). */
  STOPPED
}
