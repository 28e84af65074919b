package dev.lain.cli.lainctl;

import dev.lain.cli.CliContext;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Process entry point of {@code lainctl}: the only place that reads the process environment. */
public final class LainctlMain {
  private LainctlMain() {}

  public static void main(String[] args) {
    CliContext context =
        new CliContext(
            System.getenv(),
            Path.of("").toAbsolutePath(),
            new PrintWriter(System.out, false, StandardCharsets.UTF_8),
            new PrintWriter(System.err, false, StandardCharsets.UTF_8));
    System.exit(LainctlCommand.run(context, args));
  }
}
