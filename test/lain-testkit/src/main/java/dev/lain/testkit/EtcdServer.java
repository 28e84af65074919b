package dev.lain.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd on 127.0.0.1 for tests, on free random ports with a temporary data
 * directory. Its log goes to {@code etcd.log} in that directory, never to the test output; when it
 * does not come up, the failure shows the end of that log.
 *
 * <p>{@link #shared()} serves every test of a JVM that can share one etcd (tests keep to their own
 * key prefixes); {@link #startPrivate()} gives a test its own etcd to stop, kill and restart.
 */
public final class EtcdServer implements AutoCloseable {
  /** What to tell someone whose machine has no etcd. */
  public static final String INSTALL_HINT = "apt-get install etcd-server etcd-client";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration ETCDCTL_TIMEOUT = Duration.ofSeconds(30);
  private static final ChildProcesses.Live<EtcdServer> LIVE = new ChildProcesses.Live<>("etcd");
  private static EtcdServer shared;

  private final Path etcd;
  private final Path dir;
  private final String name;
  private final int clientPort;
  private final int peerPort;
  // name=peer-url of every member; null for a single member.
  private String initialCluster;
  // Joins a cluster that exists (after etcd member add) rather than forming a new one.
  private boolean joining;
  private Process process;
  private boolean closed;

  private EtcdServer(Path etcd, Path dir, String name, int clientPort, int peerPort) {
    this.etcd = etcd;
    this.dir = dir;
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** The etcd shared by this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized EtcdServer shared() {
    Path binary = RequiredServices.require("etcd", INSTALL_HINT);
    if (shared == null || shared.closed) {
      shared = launch(binary);
    }
    return shared;
  }

  /** A new etcd of the caller's own, which the caller closes. */
  public static EtcdServer startPrivate() {
    return launch(RequiredServices.require("etcd", INSTALL_HINT));
  }

  private static EtcdServer launch(Path binary) {
    // Another process may take a port between our probe and etcd's bind: then try other ports.
    for (int attempt = 1; ; attempt++) {
      int[] ports = freePorts(2);
      EtcdServer server = new EtcdServer(binary, newDataDir(), "lain-test", ports[0], ports[1]);
      LIVE.add(server);
      try {
        server.start();
        return server;
      } catch (IllegalStateException e) {
        boolean portTaken = server.logTail().contains("address already in use");
        server.close();
        if (!portTaken || attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** The store URL of this etcd: {@code etcd://127.0.0.1:<port>}. */
  public String url() {
    return "etcd://127.0.0.1:" + clientPort;
  }

  /** The client endpoint: {@code http://127.0.0.1:<port>}. */
  public String clientEndpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  public int clientPort() {
    return clientPort;
  }

  /** The directory holding etcd's data ({@code data/}) and log ({@code etcd.log}). */
  public Path directory() {
    return dir;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts etcd (again) with the same ports and data, and waits until it reports healthy.
   *
   * @throws IllegalStateException with the end of etcd's log if it is not healthy within 20 s
   */
  public synchronized void start() {
    launchProcess();
    awaitHealthy();
  }

  /**
   * Members of a cluster, each on its own free ports and data directory; they are healthy only
   * together, so all are launched before any is waited for.
   */
  static List<EtcdServer> startMembers(int count) {
    Path binary = RequiredServices.require("etcd", INSTALL_HINT);
    int[] ports = freePorts(2 * count);
    List<EtcdServer> members = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      EtcdServer member =
          new EtcdServer(binary, newDataDir(), "member" + (i + 1), ports[2 * i], ports[2 * i + 1]);
      members.add(member);
      peers.add(member.name + "=" + member.peerUrl());
    }
    try {
      for (EtcdServer member : members) {
        member.initialCluster = String.join(",", peers);
        LIVE.add(member);
        member.launchProcess();
      }
      for (EtcdServer member : members) {
        member.awaitHealthy();
      }
    } catch (RuntimeException e) {
      members.forEach(EtcdServer::close);
      throw e;
    }
    return members;
  }

  /**
   * A member to add to a running cluster, on its own free ports, not started: add it with {@link
   * #peerUri()} (etcd member add), then {@link #join} with what that returned.
   */
  public static EtcdServer newMember(String name) {
    Path binary = RequiredServices.require("etcd", INSTALL_HINT);
    int[] ports = freePorts(2);
    EtcdServer member = new EtcdServer(binary, newDataDir(), name, ports[0], ports[1]);
    LIVE.add(member);
    return member;
  }

  /** Starts this member into an existing cluster and waits until it is healthy. */
  public synchronized void join(String initialCluster) {
    this.initialCluster = initialCluster;
    this.joining = true;
    start();
  }

  public URI peerUri() {
    return URI.create(peerUrl());
  }

  /** This member's name in its cluster. */
  public String name() {
    return name;
  }

  private String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  private synchronized void launchProcess() {
    if (closed) {
      throw new IllegalStateException("this etcd was closed");
    }
    if (isRunning()) {
      return;
    }
    String client = clientEndpoint();
    String peer = peerUrl();
    ProcessBuilder builder =
        new ProcessBuilder(
            etcd.toString(),
            "--name=" + name,
            "--data-dir=" + dir.resolve("data"),
            "--listen-client-urls=" + client,
            "--advertise-client-urls=" + client,
            "--listen-peer-urls=" + peer,
            "--initial-advertise-peer-urls=" + peer,
            "--initial-cluster=" + (initialCluster == null ? name + "=" + peer : initialCluster),
            "--initial-cluster-state=" + (joining ? "existing" : "new"),
            "--logger=zap",
            "--log-level=info");
    // Settings from the environment (ETCD_*) would override ours.
    builder.environment().keySet().removeIf(name -> name.startsWith("ETCD"));
    builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + etcd, e);
    }
  }

  /** Stops etcd with SIGTERM and waits for it to exit (SIGKILL if it takes longer than 15 s). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    ChildProcesses.stop(process, STOP_TIMEOUT);
    process = null;
  }

  /** Kills etcd with SIGKILL, as a crash would, and waits for it to be gone. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    ChildProcesses.waitForExit(process, STOP_TIMEOUT);
    process = null;
  }

  /** Stops etcd and deletes its data directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    LIVE.remove(this);
    ChildProcesses.deleteRecursively(dir);
  }

  /**
   * Runs {@code ETCDCTL_API=3 etcdctl --endpoints=<this etcd> args...} and returns its standard
   * output.
   *
   * @throws IllegalStateException with etcdctl's standard error if it exits with a failure
   */
  public String etcdctl(String... args) {
    Path etcdctl = RequiredServices.require("etcdctl", INSTALL_HINT);
    List<String> command = new ArrayList<>();
    command.add(etcdctl.toString());
    command.add("--endpoints=" + clientEndpoint());
    command.addAll(List.of(args));
    Path stderr = null;
    try {
      stderr = Files.createTempFile(dir, "etcdctl-", ".err");
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(name -> name.startsWith("ETCDCTL"));
      builder.environment().put("ETCDCTL_API", "3");
      builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      builder.redirectError(stderr.toFile());
      Process etcdctlProcess = builder.start();
      byte[] out;
      try (InputStream stdout = etcdctlProcess.getInputStream()) {
        out = stdout.readAllBytes();
      }
      if (!etcdctlProcess.waitFor(ETCDCTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        etcdctlProcess.destroyForcibly();
        throw new IllegalStateException("etcdctl " + String.join(" ", args) + " timed out");
      }
      if (etcdctlProcess.exitValue() != 0) {
        throw new IllegalStateException(
            "etcdctl "
                + String.join(" ", args)
                + " exited with "
                + etcdctlProcess.exitValue()
                + ": "
                + Files.readString(stderr).strip());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + etcdctl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running etcdctl", e);
    } finally {
      if (stderr != null) {
        try {
          Files.deleteIfExists(stderr);
        } catch (IOException e) {
          // A leftover file in the data directory does no harm.
        }
      }
    }
  }

  @Override
  public String toString() {
    return "etcd at " + clientEndpoint() + " (" + dir + ")";
  }

  private void awaitHealthy() {
    ChildProcesses.awaitHttp(
        "etcd",
        process,
        URI.create(clientEndpoint() + "/health"),
        response -> response.statusCode() == 200 && response.body().contains("\"true\""),
        START_TIMEOUT,
        this::logTail);
  }

  private Path logFile() {
    return dir.resolve("etcd.log");
  }

  private String logTail() {
    return ChildProcesses.logTail(logFile());
  }

  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // The port was found; closing a probe socket cannot lose it.
        }
      }
    }
  }

  private static Path newDataDir() {
    // Under the module's target/ when run by Maven, so `mvn clean` removes anything left behind.
    String buildDir = System.getenv("LAIN_TEST_BUILD_DIR");
    Path base =
        buildDir != null && Files.isDirectory(Path.of(buildDir))
            ? Path.of(buildDir)
            : Path.of(System.getProperty("java.io.tmpdir"));
    try {
      return Files.createTempDirectory(base, "etcd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory under " + base, e);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }
}
