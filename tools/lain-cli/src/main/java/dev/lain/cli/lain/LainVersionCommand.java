package dev.lain.cli.lain;

import dev.lain.cli.ExitCode;
import dev.lain.cli.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", description = "Print lain's version.")
final class LainVersionCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Override
  public Integer call() {
    lain.context.out().println("lain " + Version.current());
    return ExitCode.OK;
  }
}
