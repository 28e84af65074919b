package dev.lain.cli.lain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lain.cli.ExitCode;
import dev.lain.cli.Table;
import dev.lain.cli.console.ConsoleClient;
import dev.lain.cli.console.ConsoleException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The app commands that are one console request each. */
final class AppCommands {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AppCommands() {}

  static String appPath(String app) {
    return "apps/" + ConsoleClient.segment(app) + "/";
  }

  static String repoPath(String app) {
    return "repos/" + ConsoleClient.segment(app) + "/";
  }

  /** The console's answer unwrapped from LAIN's envelope ({@code {"app": {...}, "msg": ...}}). */
  static JsonNode unwrap(JsonNode answer, String key) {
    return answer.has(key) ? answer.get(key) : answer;
  }

  static void printJson(PrintWriter out, JsonNode node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
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
      try {
        console.get(repoPath(app));
        lain.context.out().println(app + " is already registered in " + phase);
        return ExitCode.OK;
      } catch (ConsoleException e) {
        if (e.status() != 404) {
          throw e;
        }
      }
      console.post("repos/", Map.of("appname", app));
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
      Cluster.of(lain, phase).console().delete(appPath(app));
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
      if (instances != null && instances < 0) {
        lain.context.err().println("error: -n must be 0 or more");
        return ExitCode.USAGE;
      }
      String app = Cluster.app(lain).appname();
      Map<String, Object> body = new LinkedHashMap<>();
      if (instances != null) {
        body.put("num_instances", instances);
      }
      if (memory != null) {
        body.put("memory", memory);
      }
      if (cpu != null) {
        body.put("cpu", cpu);
      }
      Cluster.of(lain, phase)
          .console()
          .patch(appPath(app) + "procs/" + ConsoleClient.segment(proc) + "/", body);
      lain.context.out().println("scaling " + app + " " + proc + ": " + body);
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

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "text or json")
    Output output = Output.text;

    @Override
    public Integer call() {
      String app = Cluster.app(lain).appname();
      JsonNode answer = Cluster.of(lain, phase).console().get(repoPath(app) + "versions/");
      JsonNode tags = answer.path("tags");
      if (output == Output.json) {
        printJson(lain.context.out(), tags);
        return ExitCode.OK;
      }
      if (tags.isEmpty()) {
        lain.context
            .err()
            .println("no version of " + app + " in " + phase + " yet: lain build --push " + phase);
        return ExitCode.OK;
      }
      tags.forEach(t -> lain.context.out().println(t.asText()));
      return ExitCode.OK;
    }
  }

  @Command(name = "history", description = "The app's deploys, upgrades and rollbacks in a phase.")
  static final class History implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "text or json")
    Output output = Output.text;

    @Override
    public Integer call() {
      String app = Cluster.app(lain).appname();
      JsonNode history =
          unwrap(Cluster.of(lain, phase).console().get(appPath(app) + "history/"), "history");
      if (output == Output.json) {
        printJson(lain.context.out(), history);
        return ExitCode.OK;
      }
      Table table = new Table("WHEN", "ACTION", "META_VERSION", "BY");
      for (JsonNode entry : history) {
        table.row(
            entry.path("time").asText(""),
            entry.path("action").asText(""),
            entry.path("meta_version").asText(""),
            entry.path("user").asText(""));
      }
      table.print(lain.context.out());
      return ExitCode.OK;
    }
  }

  enum Output {
    text,
    json
  }
}
