package dev.lain.exec;

import java.util.List;

/**
 * Runs one program and reports how it ended: the only way lain-docker-disk and lain-bootstrap run
 * anything on a machine, injected so that tests feed scripted output and record what was run. A
 * program that cannot be started, times out or is interrupted is a {@link Result} too (exit codes
 * 127, 124, 130, as a shell reports them), never an exception.
 */
@FunctionalInterface
public interface CommandRunner {
  /** Exit code of a program that could not be started. */
  int NOT_FOUND = 127;

  /** Runs {@code argv} (no shell) with no standard input and waits for it. */
  Result run(List<String> argv);

  /**
   * Runs a program with {@code input} as its standard input: how secrets (the admin's token) reach
   * a program without a file or an argument that {@code ps} would show.
   */
  default Result run(List<String> argv, String input) {
    throw new UnsupportedOperationException("this runner cannot give a program standard input");
  }

  /** How a command ended. */
  record Result(int exitCode, String stdout, String stderr) {
    public Result {
      stdout = stdout == null ? "" : stdout;
      stderr = stderr == null ? "" : stderr;
    }

    public static Result ok(String stdout) {
      return new Result(0, stdout, "");
    }

    public static Result failed(int exitCode, String stderr) {
      return new Result(exitCode, "", stderr);
    }

    public static Result notFound() {
      return new Result(NOT_FOUND, "", "not found");
    }

    public boolean succeeded() {
      return exitCode == 0;
    }
  }
}
