package dev.lain.bootstrap;

import java.util.List;
import java.util.Objects;

/**
 * Runs a program and returns its output: the probe's only way to ask the machine (tests feed canned
 * output).
 */
@FunctionalInterface
public interface CommandRunner {
  /** Exit code of a program that could not be started (as a shell reports it). */
  int NOT_FOUND = 127;

  Result run(List<String> command);

  record Result(int exitCode, String stdout, String stderr) {
    public Result {
      Objects.requireNonNull(stdout, "stdout");
      Objects.requireNonNull(stderr, "stderr");
    }

    public static Result ok(String stdout) {
      return new Result(0, stdout, "");
    }

    public static Result notFound() {
      return new Result(NOT_FOUND, "", "not found");
    }

    public boolean succeeded() {
      return exitCode == 0;
    }
  }
}
