package dev.lain.cli.lain;

import dev.lain.api.console.AppView;
import dev.lain.api.console.ProcView;
import dev.lain.cli.ExitCode;
import dev.lain.cli.OutputOption;
import dev.lain.cli.console.ConsoleClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
    Optional<String> previous = console.deployed(app).map(AppView::metaVersion);
    AppView accepted =
        previous.isEmpty()
            ? console.deploy(app, Optional.ofNullable(version))
            : console.upgrade(app, Optional.ofNullable(version));
    String target = accepted.metaVersion();
    lain.context
        .err()
        .println(
            (previous.isEmpty() ? "deploying " : "upgrading ")
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

    @Mixin OutputOption output = new OutputOption();
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
      Optional<String> previous,
      Wait wait)
      throws InterruptedException {
    PrintWriter out = lain.context.out();
    PrintWriter err = lain.context.err();
    if (wait.noWait) {
      if (wait.output.isJson()) {
        AppCommands.printJson(out, console.app(app));
      }
      return ExitCode.OK;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(wait.timeoutSeconds).toNanos();
    Map<String, String> shown = new HashMap<>();
    while (true) {
      AppView status = console.app(app);
      for (ProcView proc : status.procs()) {
        String line = progress(proc);
        if (!line.equals(shown.put(proc.procname(), line))) {
          err.println("  " + proc.procname() + ": " + line);
          err.flush();
        }
      }
      boolean onTarget = target.isEmpty() || target.equals(status.metaVersion());
      // A oneshot runs to completion: it is never "ready".
      boolean allReady =
          status.procs().stream().allMatch(p -> p.oneshot() || p.ready() >= p.numInstances());
      if (onTarget && status.state().equals(AppView.HEALTHY) && allReady) {
        if (wait.output.isJson()) {
          AppCommands.printJson(out, status);
        } else {
          out.println(app + " " + status.metaVersion() + " is healthy");
        }
        return ExitCode.OK;
      }
      if (status.state().equals(AppView.ERROR)) {
        err.println(
            "error: the deploy failed: "
                + (status.lastError().isEmpty() ? "(no reason given)" : status.lastError()));
        previous
            .filter(v -> !v.isEmpty())
            .ifPresent(
                v ->
                    err.println(
                        "to go back: lain rollback PHASE (or lain deploy PHASE -v " + v + ")"));
        if (wait.output.isJson()) {
          AppCommands.printJson(out, status);
        }
        return ExitCode.FAILED;
      }
      if (System.nanoTime() > deadline) {
        err.println(
            "error: "
                + app
                + " is not healthy after "
                + wait.timeoutSeconds
                + " s (state "
                + status.state()
                + "): lain ps and lain logs show why; the deploy goes on in the cluster");
        return ExitCode.FAILED;
      }
      Thread.sleep(500);
    }
  }

  /** How many instances of the proc's current spec version run and pass their checks. */
  static String progress(ProcView proc) {
    return proc.ready() + "/" + proc.numInstances() + " ready (v" + proc.specVersion() + ")";
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
      Optional<String> previous = console.deployed(app).map(AppView::metaVersion);
      String target = console.rollback(app, Optional.ofNullable(version)).metaVersion();
      lain.context.err().println("rolling " + app + " back to " + target + " in " + phase);
      return follow(lain, console, app, target, previous, wait);
    }
  }
}
