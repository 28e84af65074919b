package dev.lain.exec;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs programs on this machine as child processes, in the C locale (so their output parses). */
public final class ProcessCommandRunner implements CommandRunner {
  private final Duration timeout;

  /**
   * @param timeout how long one command may take; mkfs.xfs on a large disk takes seconds, LVM
   *     commands well under one, so minutes mean something hangs (typically udev sync)
   */
  public ProcessCommandRunner(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
  }

  public ProcessCommandRunner() {
    this(Duration.ofMinutes(5));
  }

  @Override
  public Result run(List<String> argv) {
    return execute(argv, Optional.empty());
  }

  @Override
  public Result run(List<String> argv, String input) {
    return execute(argv, Optional.of(input));
  }

  private Result execute(List<String> argv, Optional<String> input) {
    ProcessBuilder builder = new ProcessBuilder(argv);
    if (input.isEmpty()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Map<String, String> env = builder.environment();
    // LVM, mkfs, blkid and mount live in /sbin and /usr/sbin, which a non-login PATH may lack.
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin:" + env.getOrDefault("PATH", ""));
    // LVM warns about every inherited descriptor; the JVM's are none of its business.
    env.put("LVM_SUPPRESS_FD_WARNINGS", "1");
    env.put("LC_ALL", "C");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return Result.notFound();
    }
    if (input.isPresent()) {
      try (var stdin = process.getOutputStream()) {
        stdin.write(input.get().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The program exited without reading its input: its exit code tells the rest.
      }
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(
            124, "", Commands.render(argv) + " did not end within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(130, "", "interrupted while running " + Commands.render(argv));
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        Thread::startVirtualThread);
  }
}
