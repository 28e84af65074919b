package dev.lain.bench;

import dev.lain.cli.CliContext;
import dev.lain.cli.lain.LainCommand;
import dev.lain.testkit.LoopbackHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lain deploy} -> first request served, on a running cluster (e.g. the one ./bootstrap
 * brings up): each round undeploys the app, waits until the webrouter answers 404 for its host,
 * then times from the start of {@code lain deploy} until the webrouter serves the app with 200. The
 * app's images must already be in the phase's registry ({@code lain build --push PHASE}).
 */
@Command(
    name = "lain-bench deploy-served",
    mixinStandardHelpOptions = true,
    description = "Time lain deploy -> first request served through the webrouter (p50/p99).")
public final class DeployServedBench implements Callable<Integer> {
  private final PrintStream out;

  @Option(names = "--rounds", description = "Deploys to time (default ${DEFAULT-VALUE}).")
  int rounds = 20;

  @Option(names = "--phase", description = "The lain phase (default ${DEFAULT-VALUE}).")
  String phase = "local";

  @Option(names = "--app-dir", description = "The app's directory (default ${DEFAULT-VALUE}).")
  Path appDir = Path.of("examples/hello");

  @Option(names = "--host", description = "The Host to ask for (default ${DEFAULT-VALUE}).")
  String host = "hello.lain.local";

  @Option(
      names = "--port",
      description = "The webrouter's HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int port = 80;

  @Option(names = "--path", description = "The path to ask for (default ${DEFAULT-VALUE}).")
  String path = "/";

  DeployServedBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DeployServedBench(System.out)).execute(args));
  }

  private int status() {
    try {
      return LoopbackHttp.status(LoopbackHttp.get(port, host, path));
    } catch (IOException e) {
      return 0;
    }
  }

  private void lain(String... args) {
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(
            System.getenv(),
            appDir.toAbsolutePath(),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true));
    int code = LainCommand.run(context, args);
    if (code != 0) {
      throw new IllegalStateException("lain " + String.join(" ", args) + " failed: " + err);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    long[] served = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      if (status() != 404) {
        lain("undeploy", phase);
        Measure.waitFor(() -> status() == 404, Duration.ofSeconds(120), Duration.ofMillis(50));
      }
      long start = System.nanoTime();
      lain("deploy", phase, "--no-wait");
      Measure.waitFor(() -> status() == 200, Duration.ofSeconds(120), Duration.ofMillis(10));
      served[i] = System.nanoTime() - start;
      out.printf("round %d: served after %.0f ms%n", i + 1, served[i] / 1e6);
    }
    Arrays.sort(served);
    out.printf(
        "lain deploy -> first request served (%d rounds, %s on 127.0.0.1:%d): p50 %.0f ms, p90 %.0f ms,"
            + " p99 %.0f ms, max %.0f ms%n",
        rounds,
        host,
        port,
        Measure.percentileMillis(served, 0.50),
        Measure.percentileMillis(served, 0.90),
        Measure.percentileMillis(served, 0.99),
        served[rounds - 1] / 1e6);
    return 0;
  }
}
