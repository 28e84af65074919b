package dev.lain.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** What the services tests start (etcd, the registry) have in common as child processes. */
final class ChildProcesses {
  static final int LOG_TAIL_LINES = 40;

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  private ChildProcesses() {}

  /**
   * The services of one kind this JVM started and has not closed: each is closed when the JVM
   * exits, so a test that failed halfway leaves no process behind.
   */
  static final class Live<T extends AutoCloseable> {
    private final Set<T> live = ConcurrentHashMap.newKeySet();

    Live(String kind) {
      Runtime.getRuntime()
          .addShutdownHook(
              Thread.ofPlatform().name(kind + "-test-cleanup").unstarted(this::closeAll));
    }

    void add(T service) {
      live.add(service);
    }

    void remove(T service) {
      live.remove(service);
    }

    private void closeAll() {
      for (T service : List.copyOf(live)) {
        try {
          service.close();
        } catch (Exception e) {
          System.err.println("cannot clean up " + service + ": " + e);
        }
      }
    }
  }

  /**
   * Polls {@code url} until an answer passes {@code ready}; a process that exits, or no such answer
   * within {@code timeout}, fails with the end of its log (and the process is killed).
   */
  static void awaitHttp(
      String name,
      Process process,
      URI url,
      Predicate<HttpResponse<String>> ready,
      Duration timeout,
      Supplier<String> logTail) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build();
    String last = "no answer";
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              name
                  + " exited with status "
                  + process.exitValue()
                  + " while starting:\n"
                  + logTail.get());
        }
        try {
          HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
          if (ready.test(response)) {
            return;
          }
          last = response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
    process.destroyForcibly();
    waitForExit(process, timeout);
    throw new IllegalStateException(
        name
            + " at "
            + url
            + " did not answer within "
            + timeout.toSeconds()
            + " s (last: "
            + last
            + "):\n"
            + logTail.get());
  }

  /** SIGTERM, then SIGKILL if it is still there after {@code grace}. */
  static void stop(Process process, Duration grace) {
    process.destroy();
    if (!waitForExit(process, grace)) {
      process.destroyForcibly();
      waitForExit(process, grace);
    }
  }

  static boolean waitForExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** The last {@value #LOG_TAIL_LINES} lines of {@code log}, for failure messages. */
  static String logTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Runs {@code command} to its end (30 s at most); its output, or an exception naming it. */
  static String runOrFail(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
