package dev.lain.bootstrap;

import dev.lain.storage.ProcessCommandRunner;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code ./bootstrap}'s entry point: parses the flags, probes the machine, prints the checks and
 * the plan, and with {@value #EXECUTE} carries the plan out. Exit codes:
 *
 * <ul>
 *   <li>0: {@code --dry-run} and every check passed; or, without {@value #EXECUTE}, the options
 *       describe the single-node install the bash script performs and every check passed: the last
 *       line printed is then {@code single-node}, and the script goes on; or, with {@value
 *       #EXECUTE}, every step of the plan is done;
 *   <li>1: a check failed (nothing was changed), or with {@value #EXECUTE} a step failed (the error
 *       names it; what was done before it stays, and running again retries);
 *   <li>2: bad flags (every problem printed on stderr);
 *   <li>3: without {@value #EXECUTE}: the checks passed, but this install is not one the bash
 *       script carries out.
 * </ul>
 */
public final class BootstrapMain {
  public static final int OK = 0;
  public static final int PREFLIGHT_FAILED = 1;
  public static final int USAGE = 2;
  public static final int NOT_WIRED = 3;

  /** The last line printed when the bash single-node installer is to go on. */
  public static final String SINGLE_NODE = "single-node";

  /**
   * The flag by which the caller hands the install over: the plan is carried out here, for every
   * mode. Taken off the command line before the options are parsed.
   */
  public static final String EXECUTE = "--execute";

  private BootstrapMain() {}

  public static void main(String[] args) {
    System.exit(
        run(
            args,
            System.out,
            System.err,
            o -> MachineProbe.of(o).probe(o),
            (o, retry) ->
                new Executor(
                        new ProcessCommandRunner(Duration.ofMinutes(15)),
                        o.root(),
                        StoreOpener.under(o.root()),
                        System.out,
                        System.err)
                    .withRetryCommand(retry)));
  }

  /** Runs bootstrap's deciding half only: {@value #EXECUTE} is refused. */
  public static int run(
      String[] args, PrintStream out, PrintStream err, Function<Options, Facts> probe) {
    return run(
        args,
        out,
        err,
        probe,
        (o, retry) -> {
          throw new IllegalStateException("no executor given");
        });
  }

  /**
   * Runs bootstrap's deciding half.
   *
   * @param probe finds the machine's facts for the parsed options ({@link MachineProbe} in {@link
   *     #main}; fixed facts in tests)
   * @param executors makes the executor for the options, given the command that retries the run
   */
  public static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      Function<Options, Facts> probe,
      BiFunction<Options, String, Executor> executors) {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean execute = rest.remove(EXECUTE);
    while (rest.remove(EXECUTE)) {
      // Given twice means the same as once.
    }
    Options options;
    switch (Options.parse(rest.toArray(String[]::new))) {
      case Options.Parsed.HelpRequested help -> {
        out.print(help.usage());
        return OK;
      }
      case Options.Parsed.Invalid invalid -> {
        for (String problem : invalid.problems()) {
          err.println("error: " + problem);
        }
        err.println("nothing was changed (see ./bootstrap --help)");
        return USAGE;
      }
      case Options.Parsed.Valid valid -> options = valid.options();
    }
    Facts facts = probe.apply(options);
    List<Check> checks = Preflight.check(facts, options);
    out.print(Reports.checks(checks));
    boolean failed = Preflight.failed(checks);
    boolean identified =
        NodeIdentity.resolve(options, facts) instanceof NodeIdentity.Resolution.Resolved;
    if (options.dryRun()) {
      out.println();
      if (identified) {
        out.print(Reports.plan(Plan.of(options, facts)));
      } else {
        out.println("No plan: the node's identity is unknown (see the failed checks).");
      }
      if (failed) {
        out.println("Preflight failed: the install would stop here, before any change.");
      }
      return failed ? PREFLIGHT_FAILED : OK;
    }
    if (failed) {
      err.println("error: preflight failed (see the table above): nothing was changed");
      return PREFLIGHT_FAILED;
    }
    if (execute) {
      Plan plan = Plan.of(options, facts);
      out.println();
      out.print(Reports.plan(plan));
      out.println();
      String retry =
          options.storageOnly()
              ? "lainctl node add (the same command; it repeats this step)"
              : "./bootstrap " + String.join(" ", rest);
      Executor.Outcome outcome = executors.apply(options, retry.strip()).execute(plan);
      return outcome.succeeded() ? OK : PREFLIGHT_FAILED;
    }
    if (options.isScriptedSingleNode()) {
      out.println(SINGLE_NODE);
      return OK;
    }
    out.println();
    out.print(Reports.plan(Plan.of(options, facts)));
    err.println(
        "error: executing a "
            + options.mode().label()
            + " install with these options is not wired yet: nothing was changed"
            + " (--dry-run shows the plan; ./bootstrap --single-node without --docker-device,"
            + " -r, -m, -n, --node-network and --no-systemd runs today)");
    return NOT_WIRED;
  }
}
