package dev.lain.testkit;

import java.nio.file.Path;
import java.time.Duration;

/** A machine a test installs LAIN on: a {@link MachineSandbox} or a {@link SystemdMachine}. */
public interface Machine extends AutoCloseable {
  /** What a command run on the machine did. */
  record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /**
   * Runs {@code script} with bash on the machine as root, in {@code workingDir}, with a clean
   * environment, stdout and stderr together; killed (exit 124) after {@code timeout}.
   */
  Result sh(String script, Path workingDir, Duration timeout);

  @Override
  void close();
}
