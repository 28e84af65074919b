package dev.lain.cli.lain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.lain.api.ApiJson;
import dev.lain.api.console.ProcView;
import dev.lain.api.console.Requests;
import dev.lain.cli.ExitCode;
import dev.lain.cli.OutputOption;
import dev.lain.cli.Table;
import dev.lain.cli.console.ConsoleClient;
import dev.lain.model.console.HistoryEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The app commands that are one console request each. */
final class AppCommands {
  private static final ObjectWriter JSON = ApiJson.MAPPER.writerWithDefaultPrettyPrinter();

  private AppCommands() {}

  /** What the console answered, as the console's JSON. */
  static void printJson(PrintWriter out, Object answer) {
    try {
      out.println(JSON.writeValueAsString(answer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Command(
      name = "reposit",
      description = "Register the app of this directory with a phase's console (once per app).")
  static final class Reposit implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Override
    public Integer call() {
      String app = Cluster.app(lain).appname();
      ConsoleClient console = Cluster.of(lain, phase).console();
      if (console.repo(app).isPresent()) {
        lain.context.out().println(app + " is already registered in " + phase);
        return ExitCode.OK;
      }
      console.reposit(app);
      lain.context
          .out()
          .println(
              "registered "
                  + app
                  + " in "
                  + phase
                  + "; next: lain build --push "
                  + phase
                  + ", lain deploy "
                  + phase);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "undeploy",
      description = "Stop and remove every instance of the app (its registration and images stay).")
  static final class Undeploy implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Override
    public Integer call() {
      String app = Cluster.app(lain).appname();
      Cluster.of(lain, phase).console().undeploy(app);
      lain.context
          .out()
          .println(
              "undeploying " + app + " from " + phase + " (lain ps " + phase + " shows progress)");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "scale",
      description = "Change a proc's instance count, memory or CPU, as one rolling change.")
  static final class Scale implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Parameters(index = "1", paramLabel = "PROC", description = "e.g. web or worker.queue")
    String proc;

    @Option(
        names = {"-n", "--num-instances"},
        paramLabel = "N")
    Integer instances;

    @Option(
        names = {"-m", "--memory"},
        paramLabel = "MEM",
        description = "e.g. 64m, 1g")
    String memory;

    @Option(
        names = {"-c", "--cpu"},
        paramLabel = "CPU",
        description = "CPU shares as in lain.yaml")
    Integer cpu;

    @Override
    public Integer call() {
      if (instances == null && memory == null && cpu == null) {
        lain.context.err().println("error: say what to change: -n N, -m MEM or -c CPU");
        return ExitCode.USAGE;
      }
      String app = Cluster.app(lain).appname();
      // The limits are the console's to check (the same as lain.yaml's): one rule, one message.
      ProcView scaled =
          Cluster.of(lain, phase)
              .console()
              .scale(
                  app,
                  proc,
                  new Requests.Scale(
                      Optional.ofNullable(instances),
                      Optional.ofNullable(cpu),
                      Optional.ofNullable(memory)));
      lain.context
          .out()
          .println(
              "scaling "
                  + app
                  + " "
                  + proc
                  + " to "
                  + scaled.numInstances()
                  + " instances, cpu "
                  + scaled.cpu()
                  + ", memory "
                  + scaled.memory());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "appversion",
      description = "List the versions of the app in the phase's registry, newest first.")
  static final class AppVersion implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Mixin OutputOption output = new OutputOption();

    @Override
    public Integer call() {
      String app = Cluster.app(lain).appname();
      List<String> tags = Cluster.of(lain, phase).console().versions(app);
      if (output.isJson()) {
        printJson(lain.context.out(), tags);
        return ExitCode.OK;
      }
      if (tags.isEmpty()) {
        lain.context
            .err()
            .println("no version of " + app + " in " + phase + " yet: lain build --push " + phase);
        return ExitCode.OK;
      }
      tags.forEach(lain.context.out()::println);
      return ExitCode.OK;
    }
  }

  @Command(name = "history", description = "The app's deploys, upgrades and rollbacks in a phase.")
  static final class History implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Mixin OutputOption output = new OutputOption();

    @Override
    public Integer call() {
      String app = Cluster.app(lain).appname();
      List<HistoryEntry> history = Cluster.of(lain, phase).console().history(app);
      if (output.isJson()) {
        printJson(lain.context.out(), history);
        return ExitCode.OK;
      }
      Table table = new Table("WHEN", "ACTION", "META_VERSION", "BY");
      for (HistoryEntry entry : history) {
        table.row(entry.time().toString(), entry.action(), entry.metaVersion(), entry.user());
      }
      table.print(lain.context.out());
      return ExitCode.OK;
    }
  }
}
