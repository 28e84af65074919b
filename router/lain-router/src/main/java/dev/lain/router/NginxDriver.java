package dev.lain.router;

import dev.lain.router.render.NginxRenderer;
import dev.lain.router.render.RenderedConfig;
import dev.lain.router.render.RouteTable;
import dev.lain.router.render.RouterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one nginx for a router and changes its configuration safely: every configuration is written
 * to a new generation directory, checked with {@code nginx -t}, switched in by renaming a symlink
 * (atomic), and reloaded; the reload counts as applied when nginx's new workers answer with the new
 * generation number on a control port. A configuration that fails the check never reaches the
 * running nginx, which keeps serving the previous one.
 *
 * <pre>
 * dir/nginx.conf          main configuration, includes live/http.conf
 * dir/live -> generations/N
 * dir/generations/N/http.conf, certs/NAME.crt, certs/NAME.key (0600), test.conf
 * dir/logs/, dir/tmp/, dir/nginx.pid
 * </pre>
 */
public final class NginxDriver implements AutoCloseable {
  /** Generations kept on disk (the live one and a few before it, for inspection). */
  private static final int KEEP_GENERATIONS = 3;

  private final Path nginx;
  private final Path dir;
  private final RouterSettings settings;
  private final String controlAddress;
  private long generation;

  /**
   * @param nginx the nginx binary
   * @param dir this router's directory (created if missing)
   * @param settings where nginx listens
   * @param controlAddress {@code 127.0.0.1:PORT} where nginx tells which generation it serves
   */
  public NginxDriver(Path nginx, Path dir, RouterSettings settings, String controlAddress) {
    this.nginx = nginx;
    this.dir = dir.toAbsolutePath();
    this.settings = settings;
    this.controlAddress = controlAddress;
  }

  /** What happened to one configuration. */
  public sealed interface Outcome {
    /**
     * nginx serves it: its new workers answered with its generation.
     *
     * @param took from the call to nginx serving it
     * @param written of which rendering and writing the files
     * @param checked of which {@code nginx -t}
     */
    record Applied(
        long generation, Duration took, Duration written, Duration checked, List<String> warnings)
        implements Outcome {}

    /** It failed {@code nginx -t} (or could not be written); nginx kept the previous one. */
    record Rejected(String reason) implements Outcome {}
  }

  /**
   * Writes, checks and switches to {@code table}'s configuration, starting nginx if it does not
   * run. Certificates are given as name → (certificate PEM, key PEM).
   */
  public Outcome apply(RouteTable table, Map<String, Pem> certificates)
      throws InterruptedException {
    long started = System.nanoTime();
    long next = nextGeneration();
    Path gen = dir.resolve("generations").resolve(Long.toString(next));
    RenderedConfig rendered;
    try {
      Files.createDirectories(dir.resolve("logs"));
      Files.createDirectories(dir.resolve("tmp"));
      Files.createDirectories(gen.resolve("certs"));
      RouterSettings forGeneration =
          new RouterSettings(
              settings.internalHttp(),
              settings.internalHttps(),
              settings.externalHttp(),
              settings.externalHttps(),
              gen.resolve("certs").toString(),
              settings.accessLog(),
              settings.tuning());
      rendered = NginxRenderer.render(table, forGeneration);
      for (String name : rendered.certificatesUsed()) {
        Pem pem = certificates.get(name);
        if (pem == null) {
          return new Outcome.Rejected("certificate " + name + " is mapped in ssl but not stored");
        }
        Files.writeString(gen.resolve("certs").resolve(name + ".crt"), pem.certificate());
        Path key = gen.resolve("certs").resolve(name + ".key");
        Files.writeString(key, "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(key, pem.key());
      }
      Files.writeString(gen.resolve("http.conf"), rendered.httpConf() + control(next));
      Files.writeString(gen.resolve("test.conf"), mainConfig(gen.resolve("http.conf")));
    } catch (IOException | IllegalArgumentException e) {
      return new Outcome.Rejected(
          "cannot write configuration generation " + next + ": " + e.getMessage());
    }
    long writtenAt = System.nanoTime();
    Run test =
        run(
            List.of(
                nginx.toString(),
                "-t",
                "-q",
                "-p",
                dir.toString(),
                "-c",
                gen.resolve("test.conf").toString()));
    if (test.exitCode() != 0) {
      return new Outcome.Rejected(
          "nginx -t refused generation " + next + ": " + test.output().strip());
    }
    long checkedAt = System.nanoTime();
    try {
      Files.writeString(
          dir.resolve("nginx.conf"), mainConfig(dir.resolve("live").resolve("http.conf")));
      Path link = dir.resolve("live.new");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, dir.relativize(gen));
      Files.move(
          link,
          dir.resolve("live"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      return new Outcome.Rejected("cannot switch to generation " + next + ": " + e.getMessage());
    }
    generation = next;
    // A running nginx is told by signal: "nginx -s reload" would parse the whole configuration
    // once more just to find the pid file.
    OptionalLong master = masterPid();
    List<ProcessHandle> oldWorkers =
        master.isPresent()
            ? ProcessHandle.of(master.getAsLong()).stream()
                .flatMap(ProcessHandle::children)
                .toList()
            : List.of();
    Run signal =
        master.isPresent()
            ? run(List.of("/bin/sh", "-c", "kill -HUP " + master.getAsLong()))
            : run(
                List.of(
                    nginx.toString(),
                    "-p",
                    dir.toString(),
                    "-c",
                    dir.resolve("nginx.conf").toString()));
    if (signal.exitCode() != 0) {
      return new Outcome.Rejected(
          "nginx did not take generation " + next + ": " + signal.output().strip());
    }
    if (!awaitGeneration(next, oldWorkers, Duration.ofSeconds(10))) {
      return new Outcome.Rejected("nginx did not serve generation " + next + " within 10 s");
    }
    removeOldGenerations(next);
    return new Outcome.Applied(
        next,
        Duration.ofNanos(System.nanoTime() - started),
        Duration.ofNanos(writtenAt - started),
        Duration.ofNanos(checkedAt - writtenAt),
        rendered.warnings());
  }

  /** A certificate and its key, as PEM text. */
  public record Pem(String certificate, String key) {}

  /**
   * The generation nginx serves now, or 0. A new connection each time: a kept-alive one could stay
   * with an old worker that is finishing its requests.
   */
  public long servingGeneration() {
    int colon = controlAddress.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              controlAddress.substring(0, colon),
              Integer.parseInt(controlAddress.substring(colon + 1))),
          1000);
      socket.setSoTimeout(1000);
      socket
          .getOutputStream()
          .write(
              "GET /lain/generation HTTP/1.1\r\nHost: control\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int body = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.1 200") || body < 0) {
        return 0;
      }
      return Long.parseLong(response.substring(body + 4).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Waits until new workers answer with generation {@code wanted} and none of {@code oldWorkers}
   * takes new connections any more: an old worker closes its listening sockets before it calls
   * itself "shutting down", and only finishes the requests it has.
   */
  private boolean awaitGeneration(long wanted, List<ProcessHandle> oldWorkers, Duration atMost)
      throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      if (servingGeneration() == wanted && oldWorkers.stream().allMatch(NginxDriver::retired)) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  private static boolean retired(ProcessHandle worker) {
    if (!worker.isAlive()) {
      return true;
    }
    try {
      String title = Files.readString(Path.of("/proc", Long.toString(worker.pid()), "cmdline"));
      return title.contains("shutting down");
    } catch (IOException gone) {
      return true;
    }
  }

  /** Stops nginx gracefully (in-flight requests finish). */
  @Override
  public void close() {
    if (running()) {
      run(
          List.of(
              nginx.toString(),
              "-s",
              "quit",
              "-p",
              dir.toString(),
              "-c",
              dir.resolve("nginx.conf").toString()));
    }
  }

  /** Whether the nginx of this directory runs (its pid file names a live process). */
  public boolean running() {
    return masterPid().isPresent();
  }

  private OptionalLong masterPid() {
    Path pid = dir.resolve("nginx.pid");
    try {
      if (!Files.exists(pid)) {
        return OptionalLong.empty();
      }
      long p = Long.parseLong(Files.readString(pid).strip());
      return ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) && isOurMaster(p)
          ? OptionalLong.of(p)
          : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Whether {@code pid} is the nginx master of this directory. The pid file outlives a reboot or a
   * killed nginx, and its number may by then belong to any process, which a SIGHUP would kill.
   */
  private boolean isOurMaster(long pid) {
    try {
      String title =
          Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      return title.startsWith("nginx: master process")
          && title.contains(dir.resolve("nginx.conf").toString());
    } catch (IOException gone) {
      return false;
    }
  }

  private String mainConfig(Path routes) {
    return NginxRenderer.mainConfig(
        settings,
        dir.resolve("nginx.pid").toString(),
        dir.resolve("logs/error.log").toString(),
        routes.toString(),
        dir.resolve("tmp").toString());
  }

  private String control(long gen) {
    return "\n# Tells the router which configuration the workers serve.\nserver {\n    listen "
        + controlAddress
        + ";\n    location = /lain/generation {\n        return 200 \""
        + gen
        + "\\n\";\n    }\n}\n";
  }

  private long nextGeneration() {
    long highest = generation;
    Path gens = dir.resolve("generations");
    if (Files.isDirectory(gens)) {
      try (Stream<Path> list = Files.list(gens)) {
        for (Path p : list.toList()) {
          try {
            highest = Math.max(highest, Long.parseLong(p.getFileName().toString()));
          } catch (NumberFormatException ignored) {
            // Not a generation directory.
          }
        }
      } catch (IOException ignored) {
        // An unreadable directory is recreated below.
      }
    }
    return highest + 1;
  }

  private void removeOldGenerations(long live) {
    Path gens = dir.resolve("generations");
    try (Stream<Path> list = Files.list(gens)) {
      for (Path p : list.toList()) {
        long n;
        try {
          n = Long.parseLong(p.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        if (n <= live - KEEP_GENERATIONS) {
          deleteTree(p);
        }
      }
    } catch (IOException ignored) {
      // Old generations are only clutter.
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }

  private record Run(int exitCode, String output) {}

  private static Run run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out;
      try (InputStream in = process.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Run(-1, "timed out: " + String.join(" ", command));
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Run(-1, "cannot run " + command.getFirst() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, "interrupted");
    }
  }

  /** For diagnostics: where the live configuration is. */
  public Path liveConfig() {
    try {
      return dir.resolve("live").toRealPath(LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return dir.resolve("live");
    }
  }
}
