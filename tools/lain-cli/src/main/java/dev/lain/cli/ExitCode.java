package dev.lain.cli;

/** Exit statuses shared by every command. */
public final class ExitCode {
  /** Done. */
  public static final int OK = 0;

  /** The command ran and the answer is "no" or something failed (invalid input, store down...). */
  public static final int FAILED = 1;

  /** The command line itself was wrong (unknown option, missing argument). */
  public static final int USAGE = 2;

  private ExitCode() {}
}
