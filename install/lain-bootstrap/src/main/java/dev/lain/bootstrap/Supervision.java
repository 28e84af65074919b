package dev.lain.bootstrap;

/** How the daemons are kept running. */
public enum Supervision {
  /** Units {@code /etc/systemd/system/lain-*.service}, enabled, restarted always. */
  SYSTEMD,
  /**
   * Background processes with pid files in /run/lain and logs in /var/log/lain, for machines that
   * systemd does not run ({@code --no-systemd}); a re-run starts what is not alive.
   */
  PID_FILES
}
