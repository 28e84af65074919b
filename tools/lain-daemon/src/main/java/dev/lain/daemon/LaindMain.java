package dev.lain.daemon;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Process entry point of {@code laind}: the only place that reads the process environment. */
public final class LaindMain {
  private LaindMain() {}

  public static void main(String[] args) {
    System.exit(
        LaindCommand.run(
            System.getenv(),
            new PrintWriter(System.out, false, StandardCharsets.UTF_8),
            new PrintWriter(System.err, false, StandardCharsets.UTF_8),
            args));
  }
}
