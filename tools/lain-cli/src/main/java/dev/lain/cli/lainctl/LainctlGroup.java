package dev.lain.cli.lainctl;

import dev.lain.cli.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A lainctl command made of subcommands: on its own it prints its usage. */
abstract class LainctlGroup implements Callable<Integer> {
  @ParentCommand LainctlCommand lainctl;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(lainctl.context.err());
    return ExitCode.USAGE;
  }
}
