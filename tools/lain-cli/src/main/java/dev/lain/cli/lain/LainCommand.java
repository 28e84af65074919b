package dev.lain.cli.lain;

import dev.lain.cli.CliContext;
import dev.lain.cli.Commands;
import dev.lain.cli.ExitCode;
import dev.lain.cli.Version;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code lain}: the app developer's tool. */
@Command(
    name = "lain",
    mixinStandardHelpOptions = true,
    // Every subcommand answers --help too.
    scope = ScopeType.INHERIT,
    versionProvider = Version.class,
    description = "Build, deploy and run apps on a LAIN cluster.",
    subcommands = {
      LainConfigCommand.class,
      LoginCommand.class,
      LoginCommand.Logout.class,
      AppCommands.Reposit.class,
      BuildCommands.Build.class,
      BuildCommands.Test.class,
      BuildCommands.Tag.class,
      BuildCommands.Push.class,
      DeployCommand.class,
      DeployCommand.Rollback.class,
      AppCommands.Undeploy.class,
      AppCommands.Scale.class,
      PsCommand.class,
      LogsCommand.class,
      AppCommands.History.class,
      AppCommands.AppVersion.class,
      ValidateCommand.class,
      MetaCommand.class,
      LainVersionCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class LainCommand implements Callable<Integer> {
  final CliContext context;

  @Spec CommandSpec spec;

  public LainCommand(CliContext context) {
    this.context = context;
  }

  public static int run(CliContext context, String... args) {
    return Commands.run(new LainCommand(context), context, args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(context.err());
    return ExitCode.USAGE;
  }
}
