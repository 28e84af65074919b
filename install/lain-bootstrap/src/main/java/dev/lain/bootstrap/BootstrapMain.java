package dev.lain.bootstrap;

import dev.lain.exec.ProcessCommandRunner;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code ./bootstrap}'s entry point: parses the flags, probes the machine, prints the checks and
 * the plan, and with {@value #EXECUTE} carries the plan out and prints where things are. Without
 * {@value #EXECUTE} nothing is changed, as with {@code --dry-run}. Exit codes:
 *
 * <ul>
 *   <li>0: every check passed and, with {@value #EXECUTE}, every step of the plan is done;
 *   <li>1: a check failed (nothing was changed), or a step failed (the error names it; what was
 *       done before it stays, and running again retries);
 *   <li>2: bad flags (every problem printed on stderr).
 * </ul>
 */
public final class BootstrapMain {
  public static final int OK = 0;
  public static final int PREFLIGHT_FAILED = 1;
  public static final int USAGE = 2;

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
    if (options.dryRun() || !execute) {
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
    Plan plan = Plan.of(options, facts);
    out.println();
    out.print(Reports.plan(plan));
    out.println();
    String retry =
        options.storageOnly()
            ? "lainctl node add (the same command; it repeats this step)"
            : "./bootstrap " + String.join(" ", rest);
    Executor.Outcome outcome = executors.apply(options, retry.strip()).execute(plan);
    if (!outcome.succeeded()) {
      return PREFLIGHT_FAILED;
    }
    if (!options.storageOnly()) {
      out.println();
      out.print(Reports.summary(plan));
    }
    return OK;
  }
}
