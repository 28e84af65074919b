package dev.lain.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Docker distribution registry (Debian's {@code docker-registry}, 2.8) on {@code 127.0.0.1} for
 * tests: a free port, plain HTTP, no authentication, storage in a temporary directory. A dockerd
 * pushes to it as {@code 127.0.0.1:<port>/<name>:<tag>} without any configuration, since Docker
 * allows plain HTTP to registries on 127.0.0.0/8.
 *
 * <p>{@link #close()} stops it and deletes the directory. Without the binary a test is skipped, or
 * fails where {@value RequiredServices#REQUIRE_ENV} is set.
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.start()) {
 *   String name = registry.address() + "/hello:meta-...";
 * }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {
  /** What to tell someone whose machine has no registry. */
  public static final String INSTALL_HINT = "apt-get install docker-registry";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final ChildProcesses.Live<LocalRegistry> LIVE =
      new ChildProcesses.Live<>("registry");
  private static LocalRegistry shared;

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;
  private boolean closed;

  private LocalRegistry(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /** A new registry of the caller's own, which the caller closes. */
  public static LocalRegistry start() {
    Path binary = RequiredServices.require("docker-registry", INSTALL_HINT);
    // Another process may take the port between our probe and the registry's bind: try again.
    for (int attempt = 1; ; attempt++) {
      LocalRegistry registry =
          new LocalRegistry(binary, newDirectory(), LoopbackHttp.freePorts(1).getFirst());
      LIVE.add(registry);
      try {
        registry.launch();
        return registry;
      } catch (IllegalStateException e) {
        boolean portTaken = registry.logTail().contains("address already in use");
        registry.close();
        if (!portTaken || attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The registry shared by this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized LocalRegistry shared() {
    if (shared == null || shared.closed) {
      shared = start();
    }
    return shared;
  }

  /** {@code 127.0.0.1:<port>}, the registry part of image names. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:<port>}, the root of the HTTP API. */
  public URI url() {
    return URI.create("http://" + address());
  }

  public int port() {
    return port;
  }

  /** The directory holding {@code config.yml}, {@code registry.log} and the storage. */
  public Path directory() {
    return dir;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the registry and deletes its directory (and so every image pushed to it). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (process != null) {
      ChildProcesses.stop(process, STOP_TIMEOUT);
      process = null;
    }
    LIVE.remove(this);
    ChildProcesses.deleteRecursively(dir);
  }

  @Override
  public String toString() {
    return "registry at " + url() + " (" + dir + ")";
  }

  private synchronized void launch() {
    Path config = dir.resolve("config.yml");
    try {
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: info
            accesslog:
              disabled: true
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: %s
          """
              .formatted(dir.resolve("storage"), address()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve", config.toString());
    // REGISTRY_* variables override the configuration file.
    builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    awaitAnswering();
  }

  private void awaitAnswering() {
    ChildProcesses.awaitHttp(
        "docker-registry",
        process,
        URI.create(url() + "/v2/"),
        response -> response.statusCode() == 200,
        START_TIMEOUT,
        this::logTail);
  }

  private Path logFile() {
    return dir.resolve("registry.log");
  }

  /** The end of the registry's log, for failure messages. */
  public String logTail() {
    return ChildProcesses.logTail(logFile());
  }

  private static Path newDirectory() {
    // Under the module's target/ when run by Maven, so `mvn clean` removes anything left behind.
    String buildDir = System.getenv("LAIN_TEST_BUILD_DIR");
    Path base =
        buildDir != null && Files.isDirectory(Path.of(buildDir))
            ? Path.of(buildDir)
            : Path.of(System.getProperty("java.io.tmpdir"));
    try {
      return Files.createTempDirectory(base, "registry-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory under " + base, e);
    }
  }
}
