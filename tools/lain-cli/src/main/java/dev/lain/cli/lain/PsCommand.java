package dev.lain.cli.lain;

import dev.lain.api.console.AppView;
import dev.lain.api.console.PodView;
import dev.lain.api.console.ProcView;
import dev.lain.cli.ExitCode;
import dev.lain.cli.OutputOption;
import dev.lain.cli.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lain ps PHASE}: the app's state and every instance, where it runs and how it is. */
@Command(name = "ps", description = "Show the app's procs and instances in a phase.")
final class PsCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Parameters(index = "0", paramLabel = "PHASE")
  String phase;

  @Mixin OutputOption output = new OutputOption();

  @Override
  public Integer call() {
    String app = Cluster.app(lain).appname();
    AppView status = Cluster.of(lain, phase).console().app(app);
    PrintWriter out = lain.context.out();
    if (output.isJson()) {
      AppCommands.printJson(out, status);
      return ExitCode.OK;
    }
    out.println(app + "  " + status.metaVersion() + "  " + status.state());
    for (ProcView proc : status.procs()) {
      out.println(
          "  "
              + proc.procname()
              + ": "
              + DeployCommand.progress(proc)
              + ", "
              + proc.memory()
              + ", image "
              + proc.image());
    }
    if (!status.lastError().isEmpty()) {
      out.println("last error: " + status.lastError());
    }
    Table table =
        new Table("PROC", "INSTANCE", "VERSION", "NODE", "ADDRESS", "STATE", "HEALTH", "RESTARTS");
    for (ProcView proc : status.procs()) {
      if (proc.pods().isEmpty()) {
        table.row(proc.procname(), "-", "-", "-", "-", "no instance", "-", "-");
      }
      for (PodView pod : proc.pods()) {
        table.row(
            proc.procname(),
            Integer.toString(pod.instance()),
            "v" + pod.version(),
            pod.node().isEmpty() ? "-" : pod.node(),
            pod.endpoint(),
            pod.state(),
            pod.health(),
            Integer.toString(pod.restarts()));
      }
    }
    table.print(out);
    return ExitCode.OK;
  }
}
