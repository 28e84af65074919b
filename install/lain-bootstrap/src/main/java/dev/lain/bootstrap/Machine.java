package dev.lain.bootstrap;

import dev.lain.exec.CommandRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The machine as the executor's steps reach it: programs through the {@link CommandRunner}, files
 * under the root ({@code /}, or a sandbox in tests), and one indented line of progress per note.
 */
final class Machine {
  private static final Duration POLL = Duration.ofMillis(200);

  private final CommandRunner runner;
  private final Path root;
  private final PrintStream out;
  private final Executor.Pause pause;

  Machine(CommandRunner runner, Path root, PrintStream out, Executor.Pause pause) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.root = Objects.requireNonNull(root, "root");
    this.out = Objects.requireNonNull(out, "out");
    this.pause = Objects.requireNonNull(pause, "pause");
  }

  CommandRunner runner() {
    return runner;
  }

  Path root() {
    return root;
  }

  CommandRunner.Result run(List<String> command) {
    return runner.run(command);
  }

  CommandRunner.Result run(List<String> command, String stdin) {
    return runner.run(command, stdin);
  }

  /** Runs {@code command}; its failure fails the step, naming the command and its last output. */
  CommandRunner.Result must(List<String> command) {
    CommandRunner.Result result = runner.run(command);
    if (!result.succeeded()) {
      throw new StepFailed(
          String.join(" ", command)
              + (result.exitCode() == CommandRunner.NOT_FOUND
                  ? " could not be run (not installed?)"
                  : " exited " + result.exitCode())
              + tail(result).transform(t -> t.isEmpty() ? "" : ": " + t));
    }
    return result;
  }

  /** The last three lines a program printed (its errors if any), on one line. */
  static String tail(CommandRunner.Result result) {
    String text = result.stderr().isBlank() ? result.stdout() : result.stderr();
    List<String> lines = text.strip().lines().toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  /** Whether systemd runs the machine. */
  boolean systemd() {
    return Files.isDirectory(at(Layout.SYSTEMD_RUNNING));
  }

  /** A path of the machine, under the root. */
  Path at(String path) {
    return Layout.under(root, path);
  }

  Optional<String> read(String path) {
    Path file = at(path);
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the file at {@code path} exists, as the probe sees files. */
  boolean exists(String path) {
    return Files.isRegularFile(at(path));
  }

  void directory(String path) {
    try {
      Files.createDirectories(at(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
    }
  }

  /** Replaces {@code path} at once: a reader sees the old or the new file, never half of one. */
  void writeFile(String path, String content, String mode) {
    Path file = at(path);
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling("." + file.getFileName() + ".lain-new");
      Files.deleteIfExists(temporary);
      Files.createFile(
          temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  void note(String text) {
    out.println("    " + text);
  }

  /** Waits until {@code probe} succeeds, or fails the step saying where {@code what} logs. */
  void waitFor(String what, List<String> probe, String shown) {
    poll(
        what
            + " did not answer "
            + shown
            + " within "
            + Executor.SERVICE_TIMEOUT.toSeconds()
            + "s (logs: "
            + (systemd() ? "journalctl -u " + what : Layout.LOGS + "/")
            + ")",
        () -> runner.run(probe).succeeded());
  }

  /**
   * Polls {@code condition} for {@link Executor#SERVICE_TIMEOUT}; then fails with {@code failure}.
   */
  void poll(String failure, Supplier<Boolean> condition) {
    long attempts = Executor.SERVICE_TIMEOUT.toMillis() / POLL.toMillis();
    for (long i = 0; i < attempts; i++) {
      if (condition.get()) {
        return;
      }
      try {
        pause.pause(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StepFailed("interrupted while waiting: " + failure);
      }
    }
    throw new StepFailed(failure);
  }
}
