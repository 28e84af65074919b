package dev.lain.cli.lain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.cli.ExitCode;
import dev.lain.cli.console.ConsoleClient;
import dev.lain.cli.console.ConsoleException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lain deploy PHASE [-v VERSION]}: deploys the app (first time) or upgrades it, then, like
 * LAIN's pretty mode, follows it until every proc is healthy or the deploy failed.
 */
@Command(
    name = "deploy",
    description =
        "Deploy the app, or upgrade it, to a version in the phase's registry (default: the newest),"
            + " and wait until it is healthy.")
final class DeployCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Parameters(index = "0", paramLabel = "PHASE")
  String phase;

  @Option(
      names = {"-v", "--version"},
      paramLabel = "META_VERSION",
      description = "A version listed by lain appversion (default: the newest).")
  String version;

  @Mixin Wait wait;

  @Override
  public Integer call() throws InterruptedException {
    String app = Cluster.app(lain).appname();
    ConsoleClient console = Cluster.of(lain, phase).console();
    String previous = deployedVersion(console, app);
    Map<String, Object> body = new LinkedHashMap<>();
    if (version != null) {
      body.put("meta_version", version);
    }
    JsonNode accepted;
    if (previous == null) {
      body.put("appname", app);
      accepted = AppCommands.unwrap(console.post("apps/", body), "app");
    } else {
      accepted = AppCommands.unwrap(console.put(AppCommands.appPath(app), body), "app");
    }
    String target = accepted.path("meta_version").asText(version == null ? "" : version);
    PrintWriter err = lain.context.err();
    err.println(
        (previous == null ? "deploying " : "upgrading ")
            + app
            + " to "
            + (target.isEmpty() ? "the newest version" : target)
            + " in "
            + phase);
    return follow(lain, console, app, target, previous, wait);
  }

  /** How deploy and rollback wait for the app. */
  static final class Wait {
    @Option(names = "--no-wait", description = "Return once the console accepted the change.")
    boolean noWait;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description = "How long to wait for the app to become healthy (default: 300).")
    int timeoutSeconds = 300;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "text or json")
    AppCommands.Output output = AppCommands.Output.text;
  }

  /** The deployed meta_version, or null when the app is not deployed. */
  static String deployedVersion(ConsoleClient console, String app) {
    try {
      JsonNode current = AppCommands.unwrap(console.get(AppCommands.appPath(app)), "app");
      return current.path("meta_version").asText("");
    } catch (ConsoleException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Polls the app until it runs {@code target} healthily ({@code 0}) or reports an error ({@code
   * 1}), printing each proc's progress as it changes.
   */
  static int follow(
      LainCommand lain,
      ConsoleClient console,
      String app,
      String target,
      String previous,
      Wait wait)
      throws InterruptedException {
    boolean noWait = wait.noWait;
    int timeoutSeconds = wait.timeoutSeconds;
    AppCommands.Output output = wait.output;
    PrintWriter out = lain.context.out();
    PrintWriter err = lain.context.err();
    if (noWait) {
      if (output == AppCommands.Output.json) {
        AppCommands.printJson(
            out, AppCommands.unwrap(console.get(AppCommands.appPath(app)), "app"));
      }
      return ExitCode.OK;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    Map<String, String> shown = new HashMap<>();
    while (true) {
      JsonNode status = AppCommands.unwrap(console.get(AppCommands.appPath(app)), "app");
      for (JsonNode proc : status.path("procs")) {
        String name = proc.path("procname").asText(proc.path("name").asText("?"));
        String line = progress(proc);
        if (!line.equals(shown.put(name, line))) {
          err.println("  " + name + ": " + line);
          err.flush();
        }
      }
      String state = status.path("state").asText("");
      boolean onTarget = target.isEmpty() || target.equals(status.path("meta_version").asText());
      boolean allReady = true;
      for (JsonNode proc : status.path("procs")) {
        // A oneshot runs to completion: it is never "ready".
        allReady &=
            proc.path("proctype").asText().equals("oneshot")
                || ready(proc) >= proc.path("num_instances").asInt();
      }
      if (onTarget && state.equals("healthy") && allReady) {
        if (output == AppCommands.Output.json) {
          AppCommands.printJson(out, status);
        } else {
          out.println(app + " " + status.path("meta_version").asText() + " is healthy");
        }
        return ExitCode.OK;
      }
      if (state.equals("error")) {
        err.println(
            "error: the deploy failed: " + status.path("last_error").asText("(no reason given)"));
        if (previous != null && !previous.isEmpty()) {
          err.println("to go back: lain rollback PHASE (or lain deploy PHASE -v " + previous + ")");
        }
        if (output == AppCommands.Output.json) {
          AppCommands.printJson(out, status);
        }
        return ExitCode.FAILED;
      }
      if (System.nanoTime() > deadline) {
        err.println(
            "error: "
                + app
                + " is not healthy after "
                + timeoutSeconds
                + " s (state "
                + state
                + "): lain ps and lain logs show why; the deploy goes on in the cluster");
        return ExitCode.FAILED;
      }
      Thread.sleep(500);
    }
  }

  /** How many instances of the proc's current spec version run and pass their checks. */
  static String progress(JsonNode proc) {
    return ready(proc)
        + "/"
        + proc.path("num_instances").asInt()
        + " ready (v"
        + proc.path("spec_version").asLong()
        + ")";
  }

  private static int ready(JsonNode proc) {
    long version = proc.path("spec_version").asLong();
    int ready = 0;
    for (JsonNode pod : proc.path("pods")) {
      String health = pod.path("health").asText();
      if (pod.path("version").asLong() == version
          && "run".equals(pod.path("target").asText())
          && "running".equals(pod.path("state").asText())
          && (health.equals("healthy") || health.equals("none"))) {
        ready++;
      }
    }
    return ready;
  }

  @Command(
      name = "rollback",
      description =
          "Go back to the previously deployed version (or -v VERSION) and wait until healthy.")
  static final class Rollback implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Option(
        names = {"-v", "--version"},
        paramLabel = "META_VERSION")
    String version;

    @Mixin Wait wait;

    @Override
    public Integer call() throws InterruptedException {
      String app = Cluster.app(lain).appname();
      ConsoleClient console = Cluster.of(lain, phase).console();
      String previous = deployedVersion(console, app);
      Map<String, Object> body = new LinkedHashMap<>();
      if (version != null) {
        body.put("meta_version", version);
      }
      JsonNode accepted =
          AppCommands.unwrap(console.post(AppCommands.appPath(app) + "rollback/", body), "app");
      String target = accepted.path("meta_version").asText(version == null ? "" : version);
      lain.context.err().println("rolling " + app + " back to " + target + " in " + phase);
      return follow(lain, console, app, target, previous, wait);
    }
  }
}
