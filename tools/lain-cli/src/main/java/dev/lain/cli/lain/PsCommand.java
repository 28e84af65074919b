package dev.lain.cli.lain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.cli.ExitCode;
import dev.lain.cli.Table;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lain ps PHASE}: the app's state and every instance, where it runs and how it is. */
@Command(name = "ps", description = "Show the app's procs and instances in a phase.")
final class PsCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Parameters(index = "0", paramLabel = "PHASE")
  String phase;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text or json")
  AppCommands.Output output = AppCommands.Output.text;

  @Override
  public Integer call() {
    String app = Cluster.app(lain).appname();
    JsonNode status =
        AppCommands.unwrap(Cluster.of(lain, phase).console().get(AppCommands.appPath(app)), "app");
    PrintWriter out = lain.context.out();
    if (output == AppCommands.Output.json) {
      AppCommands.printJson(out, status);
      return ExitCode.OK;
    }
    out.println(
        app
            + "  "
            + status.path("meta_version").asText("")
            + "  "
            + status.path("state").asText(""));
    for (JsonNode proc : status.path("procs")) {
      out.println(
          "  "
              + proc.path("procname").asText()
              + ": "
              + DeployCommand.progress(proc)
              + ", "
              + proc.path("memory").asText()
              + ", image "
              + proc.path("image").asText());
    }
    if (status.hasNonNull("last_error") && !status.path("last_error").asText().isEmpty()) {
      out.println("last error: " + status.path("last_error").asText());
    }
    Table table =
        new Table("PROC", "INSTANCE", "VERSION", "NODE", "ADDRESS", "STATE", "HEALTH", "RESTARTS");
    for (JsonNode proc : status.path("procs")) {
      String name = proc.path("procname").asText(proc.path("name").asText("?"));
      if (proc.path("pods").isEmpty()) {
        table.row(name, "-", "-", "-", "-", "no instance", "-", "-");
      }
      for (JsonNode pod : proc.path("pods")) {
        String address =
            pod.hasNonNull("host_port") && pod.path("host_port").asInt() > 0
                ? pod.path("node_ip").asText("") + ":" + pod.path("host_port").asInt()
                : pod.path("node_ip").asText("-");
        table.row(
            name,
            pod.path("instance").asText(""),
            "v" + pod.path("version").asText(""),
            pod.path("node").asText("-"),
            address,
            pod.path("state").asText(""),
            pod.path("health").asText(""),
            pod.path("restarts").asText("0"));
      }
    }
    table.print(out);
    return ExitCode.OK;
  }
}
