package dev.lain.cli.lainctl;

import dev.lain.cli.CliContext;

/** Process entry point of {@code lainctl}: it runs the command against this process. */
public final class LainctlMain {
  private LainctlMain() {}

  public static void main(String[] args) {
    System.exit(LainctlCommand.run(CliContext.ofProcess(), args));
  }
}
