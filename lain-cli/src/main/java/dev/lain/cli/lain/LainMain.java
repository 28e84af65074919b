package dev.lain.cli.lain;

import dev.lain.cli.CliContext;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Process entry point of {@code lain}: the only place that reads the process environment. */
public final class LainMain {
  private LainMain() {}

  public static void main(String[] args) {
    CliContext context =
        new CliContext(
            System.getenv(),
            Path.of("").toAbsolutePath(),
            new PrintWriter(System.out, false, StandardCharsets.UTF_8),
            new PrintWriter(System.err, false, StandardCharsets.UTF_8));
    System.exit(LainCommand.run(context, args));
  }
}
