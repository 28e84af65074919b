package dev.lain.bootstrap;

import java.util.List;
import java.util.Objects;

/**
 * Runs a program and returns its output: the probe's and the executor's only way to run anything on
 * the machine (tests feed canned output and record what was run).
 */
@FunctionalInterface
public interface CommandRunner {
  /** Exit code of a program that could not be started (as a shell reports it). */
  int NOT_FOUND = 127;

  Result run(List<String> command);

  /**
   * Runs a program with {@code input} as its standard input: how secrets (the admin's token) reach
   * a program without a file or an argument that {@code ps} would show.
   */
  default Result run(List<String> command, String input) {
    throw new UnsupportedOperationException("this runner cannot give a program standard input");
  }

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
