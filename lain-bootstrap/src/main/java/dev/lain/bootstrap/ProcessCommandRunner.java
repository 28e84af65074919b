package dev.lain.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs programs for real, in the C locale (so their output parses), each within a time limit. */
public final class ProcessCommandRunner implements CommandRunner {
  private final Duration timeout;

  public ProcessCommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Result run(List<String> command) {
    return execute(command, Optional.empty());
  }

  @Override
  public Result run(List<String> command, String input) {
    return execute(command, Optional.of(input));
  }

  private Result execute(List<String> command, Optional<String> input) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LC_ALL", "C");
    // Probed programs (blkid, losetup, wipefs) live in /sbin and /usr/sbin, often not on PATH.
    String path = builder.environment().getOrDefault("PATH", "/usr/bin:/bin");
    builder.environment().put("PATH", path + ":/usr/sbin:/sbin");
    if (input.isEmpty()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
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
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(124, "", String.join(" ", command) + " timed out after " + timeout);
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(130, "", "interrupted");
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
