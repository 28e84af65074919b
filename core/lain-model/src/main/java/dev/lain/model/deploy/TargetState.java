package dev.lain.model.deploy;

/** Whether an assigned instance should be running. */
public enum TargetState {
  RUN,
  /** Kept (and its volumes) but stopped: {@code stop} of an instance or group. */
  STOP
}
