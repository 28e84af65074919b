package dev.lain.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may know about the world it runs in. The {@code main} methods take it from the
 * process ({@link #ofProcess}), the only place that reads the environment; tests build their own.
 */
public record CliContext(
    Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err) {
  public CliContext {
    env = Map.copyOf(env);
  }

  /** The context of this process: its environment, working directory, stdout and stderr. */
  public static CliContext ofProcess() {
    return new CliContext(
        System.getenv(),
        Path.of("").toAbsolutePath(),
        new PrintWriter(System.out, false, StandardCharsets.UTF_8),
        new PrintWriter(System.err, false, StandardCharsets.UTF_8));
  }

  public String env(String name) {
    return env.get(name);
  }
}
