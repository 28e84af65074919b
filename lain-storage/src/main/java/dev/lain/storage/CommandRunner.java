package dev.lain.storage;

import java.util.List;

/**
 * Runs one program and reports how it ended. Injected so that planning and refusals are tested with
 * a scripted fake, and so that the SSH side can run the same plan on another node.
 */
@FunctionalInterface
public interface CommandRunner {
  /**
   * Runs {@code argv} (no shell) with no standard input and waits for it.
   *
   * @throws StorageException with code {@link StorageException.Code#IO} if it cannot be started or
   *     does not end in time; a non-zero exit is a normal {@link Result}
   */
  Result run(List<String> argv);

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

    public boolean succeeded() {
      return exitCode == 0;
    }
  }
}
