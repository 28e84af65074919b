package dev.lain.bootstrap;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ./bootstrap}'s deciding half: parses the flags, probes the machine, prints the checks and
 * the plan. It changes nothing. Exit codes:
 *
 * <ul>
 *   <li>0: {@code --dry-run} and every check passed; or the options describe the single-node
 *       install the bash script performs and every check passed: the last line printed is then
 *       {@code single-node}, and the script goes on;
 *   <li>1: a check failed (nothing was changed);
 *   <li>2: bad flags (every problem printed on stderr);
 *   <li>3: the checks passed, but executing this production install is not wired yet.
 * </ul>
 */
public final class BootstrapMain {
  public static final int OK = 0;
  public static final int PREFLIGHT_FAILED = 1;
  public static final int USAGE = 2;
  public static final int NOT_WIRED = 3;

  /** The last line printed when the bash single-node installer is to go on. */
  public static final String SINGLE_NODE = "single-node";

  private BootstrapMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, o -> MachineProbe.of(o).probe(o)));
  }

  /**
   * Runs bootstrap's deciding half.
   *
   * @param probe finds the machine's facts for the parsed options ({@link MachineProbe} in {@link
   *     #main}; fixed facts in tests)
   */
  public static int run(
      String[] args, PrintStream out, PrintStream err, Function<Options, Facts> probe) {
    Options options;
    switch (Options.parse(args)) {
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
