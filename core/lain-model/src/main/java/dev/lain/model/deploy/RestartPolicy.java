package dev.lain.model.deploy;

/** What happens when an instance's process ends. */
public enum RestartPolicy {
  /** Never started again (a stopped or one-time instance). */
  NEVER,
  /** Started again whatever the exit code: web and worker procs. */
  ALWAYS,
  /** Started again only after a non-zero exit: oneshot procs run to completion. */
  ON_FAILURE;

  public boolean restartsAfter(int exitCode) {
    return switch (this) {
      case NEVER -> false;
      case ALWAYS -> true;
      case ON_FAILURE -> exitCode != 0;
    };
  }
}
