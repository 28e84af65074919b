package dev.lain.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may know about the world it runs in. The {@code main} methods build it from the
 * process (environment, working directory, stdout/stderr); tests build their own.
 */
public record CliContext(
    Map<String, String> env, Path workingDir, PrintWriter out, PrintWriter err) {
  public CliContext {
    env = Map.copyOf(env);
  }

  public String env(String name) {
    return env.get(name);
  }
}
