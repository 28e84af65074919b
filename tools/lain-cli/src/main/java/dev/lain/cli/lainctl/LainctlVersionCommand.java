package dev.lain.cli.lainctl;

import dev.lain.cli.ExitCode;
import dev.lain.cli.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", description = "Print lainctl's version.")
final class LainctlVersionCommand implements Callable<Integer> {
  @ParentCommand LainctlCommand lainctl;

  @Override
  public Integer call() {
    lainctl.context.out().println("lainctl " + Version.current());
    return ExitCode.OK;
  }
}
