package dev.lain.storage;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine as child processes. */
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
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = builder.environment();
    // LVM, mkfs and mount live in /sbin and /usr/sbin, which a non-login PATH may lack.
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin:" + env.getOrDefault("PATH", ""));
    // LVM warns about every inherited descriptor; the JVM's are none of its business.
    env.put("LVM_SUPPRESS_FD_WARNINGS", "1");
    env.put("LC_ALL", "C");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new StorageException(
          StorageException.Code.IO, "cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new StorageException(
            StorageException.Code.IO,
            Commands.render(argv) + " did not end within " + timeout.toSeconds() + " s");
      }
      return new Result(process.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new StorageException(
          StorageException.Code.IO, "interrupted while running " + Commands.render(argv), e);
    } catch (ExecutionException e) {
      throw new StorageException(
          StorageException.Code.IO, "cannot read the output of " + Commands.render(argv), e);
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
