package dev.lain.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/** Runs a picocli command tree against a {@link CliContext}, with our exit codes and messages. */
public final class Commands {
  private Commands() {}

  public static int run(Callable<Integer> root, CliContext context, String... args) {
    CommandLine commandLine = new CommandLine(root);
    commandLine.setOut(context.out());
    commandLine.setErr(context.err());
    commandLine.setExitCodeExceptionMapper(e -> ExitCode.FAILED);
    commandLine.setParameterExceptionHandler(
        (e, params) -> {
          CommandLine failed = e.getCommandLine();
          failed.getErr().println("error: " + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
          failed
              .getErr()
              .println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
          return ExitCode.USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, failed, parseResult) -> {
          // Unexpected failures: say what failed without a stack trace; LAIN_DEBUG=1 shows it.
          failed.getErr().println("error: " + e.getMessage());
          if (context.env("LAIN_DEBUG") != null) {
            e.printStackTrace(failed.getErr());
          }
          return ExitCode.FAILED;
        });
    int code = commandLine.execute(args);
    context.out().flush();
    context.err().flush();
    return code;
  }
}
