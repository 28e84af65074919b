package dev.lain.cli.lain;

import dev.lain.cli.CliContext;

/** Process entry point of {@code lain}: it runs the command against this process. */
public final class LainMain {
  private LainMain() {}

  public static void main(String[] args) {
    System.exit(LainCommand.run(CliContext.ofProcess(), args));
  }
}
