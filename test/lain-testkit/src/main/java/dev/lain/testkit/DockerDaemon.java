package dev.lain.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private dockerd (Debian's docker.io) for tests, sharing nothing with a system Docker: its own
 * API socket, data root, exec root (and so its own containerd), pid file and network bridge, all
 * under a temporary directory. It needs root, like any dockerd.
 *
 * <p>It leaves the host's firewall and sysctls alone ({@code --iptables=false --ip-masq=false
 * --ip-forward=false}): published ports work through Docker's userland proxy, which listens on the
 * given host address (use 127.x.y.z), and containers reach nothing beyond the host. Its bridge gets
 * a free {@code 10.213.N.0/24} so several daemons (JVMs, engineers) coexist on one machine.
 *
 * <p>{@link #shared()} serves every test of a JVM (tests tell their containers apart by labels and
 * names); {@link #startPrivate()} gives a test a daemon of its own to stop and start. {@link
 * #close()} removes every container, stops dockerd and deletes the directory. A daemon left behind
 * by a JVM that was killed is cleaned up by the next one.
 *
 * <p>Missing programs or privileges skip the test locally and fail it where {@value
 * RequiredServices#REQUIRE_ENV} is set, as with {@link RequiredServices}.
 */
public final class DockerDaemon implements AutoCloseable {
  /** What to tell someone whose machine has no Docker engine. */
  public static final String INSTALL_HINT = "apt-get install docker.io busybox-static";

  private static final String DIR_PREFIX = "lain-dockerd-";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 40;

  /** Unix socket paths must fit in 108 bytes; containerd's sockets live deepest in exec-root. */
  private static final int MAX_BASE_LENGTH = 40;

  private static final ChildProcesses.Live<DockerDaemon> LIVE =
      new ChildProcesses.Live<>("dockerd");
  private static DockerDaemon shared;

  private final Path dockerd;
  private final Path ip;
  private final Path dir;
  private final String bridge;
  private final String subnet;
  private final Path dataRoot;
  private final String config;
  private Process process;
  private DockerClient client;
  private boolean closed;

  private DockerDaemon(
      Path dockerd,
      Path ip,
      Path dir,
      String bridge,
      String subnet,
      Optional<Path> dataRoot,
      String config) {
    this.dockerd = dockerd;
    this.ip = ip;
    this.dir = dir;
    this.bridge = bridge;
    this.subnet = subnet;
    this.dataRoot = dataRoot.orElse(dir.resolve("data"));
    this.config = config;
  }

  /** The dockerd shared by this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized DockerDaemon shared() {
    if (shared == null || shared.closed) {
      shared = launch(Optional.empty(), "{}\n");
    }
    return shared;
  }

  /** A new dockerd of the caller's own, which the caller closes. */
  public static DockerDaemon startPrivate() {
    return launch(Optional.empty(), "{}\n");
  }

  /**
   * A new dockerd of the caller's own on {@code dataRoot} (which the caller owns: it is neither
   * created nor deleted here) with {@code daemonJson} as its config file, for tests of what LAIN
   * writes there. The config must not set what this class passes as flags ({@code data-root},
   * {@code hosts}, {@code exec-root}, {@code pidfile}, {@code bridge}, {@code cgroup-parent},
   * {@code iptables}, ...): dockerd refuses a directive given both ways.
   */
  public static DockerDaemon startPrivate(Path dataRoot, String daemonJson) {
    return launch(Optional.of(dataRoot), daemonJson);
  }

  // "try": the file lock is held for the block's duration and never referenced.
  @SuppressWarnings("try")
  private static DockerDaemon launch(Optional<Path> dataRoot, String config) {
    Path dockerd = requireEverything();
    Path ip = RequiredServices.require("ip", "apt-get install iproute2");
    Path base = baseDirectory();
    DockerDaemon daemon;
    try (FileChannel lockFile =
            FileChannel.open(
                base.resolve(DIR_PREFIX + "lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      // Under the lock: JVMs starting daemons together must not sweep or pick subnets at once.
      sweepAbandoned(base, ip);
      Path dir = Files.createTempDirectory(base, DIR_PREFIX);
      Files.writeString(dir.resolve("owner"), Long.toString(ProcessHandle.current().pid()));
      String bridge = "lain-d-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
      String subnet = freeSubnet(ip);
      Files.writeString(dir.resolve("bridge"), bridge);
      daemon = new DockerDaemon(dockerd, ip, dir, bridge, subnet, dataRoot, config);
      LIVE.add(daemon);
      try {
        run(ip.toString(), "link", "add", "name", bridge, "type", "bridge");
        run(ip.toString(), "addr", "add", gateway(subnet) + "/24", "dev", bridge);
        run(ip.toString(), "link", "set", bridge, "up");
      } catch (RuntimeException e) {
        daemon.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a dockerd under " + base, e);
    }
    try {
      daemon.start();
    } catch (RuntimeException e) {
      daemon.close();
      throw e;
    }
    return daemon;
  }

  /** The API socket: {@code unix:///…/docker.sock}. */
  public URI socketUri() {
    return URI.create("unix://" + socket());
  }

  /** The directory holding the socket, data, exec root and {@code dockerd.log}. */
  public Path directory() {
    return dir;
  }

  /** The containers' network, {@code 10.213.N.0/24}, on a bridge of this daemon's own. */
  public String containerSubnet() {
    return subnet;
  }

  /** A docker-java client for this daemon (the engine's own API version), closed with it. */
  public synchronized DockerClient client() {
    if (client == null) {
      client = newClient(socketUri());
    }
    return client;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts dockerd (again) with the same directories and bridge, and waits until it answers.
   *
   * @throws IllegalStateException with the end of dockerd's log if it does not answer within 30 s
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("this dockerd was closed");
    }
    if (isRunning()) {
      return;
    }
    try {
      Files.writeString(dir.resolve("daemon.json"), config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve("daemon.json"), e);
    }
    ProcessBuilder builder =
        new ProcessBuilder(
            dockerd.toString(),
            "--host=" + socketUri(),
            "--data-root=" + dataRoot,
            "--exec-root=" + dir.resolve("exec"),
            "--pidfile=" + dir.resolve("docker.pid"),
            // Our own config (empty unless given): the host's /etc/docker/daemon.json must not
            // apply.
            "--config-file=" + dir.resolve("daemon.json"),
            "--bridge=" + bridge,
            // Containers' cgroups under a parent of this daemon's own, removed on close.
            "--cgroup-parent=/" + bridge,
            // Leave the host's firewall and sysctls alone; the userland proxy publishes ports.
            "--iptables=false",
            "--ip-masq=false",
            "--ip-forward=false",
            "--userland-proxy=true",
            "--shutdown-timeout=5",
            "--log-level=info");
    Map<String, String> env = builder.environment();
    // DOCKER_* would redirect dockerd; a proxy would carry registry traffic off the machine.
    env.keySet()
        .removeIf(
            name -> name.startsWith("DOCKER") || name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
    // Debian's containerd, runc, docker-init and docker-proxy before anything in /usr/local.
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin:" + env.getOrDefault("PATH", ""));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + dockerd, e);
    }
    awaitAnswering();
  }

  /**
   * Stops dockerd with SIGTERM (it stops its containers, giving them 5 s) and waits for it and its
   * containerd to exit; containers and images stay for the next {@link #start()}.
   */
  public synchronized void stop() {
    closeClient();
    if (process == null) {
      return;
    }
    process.destroy();
    if (!waitForExit(process, STOP_TIMEOUT)) {
      process.destroyForcibly();
      waitForExit(process, STOP_TIMEOUT);
    }
    process = null;
    // dockerd stops the containerd it started; make sure, or the next start finds its socket taken.
    killFromPidFile(dir.resolve("exec/containerd/containerd.pid"), "containerd");
  }

  /** Removes every container, stops dockerd, removes its bridge and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (isRunning()) {
        removeAllContainers();
      }
    } finally {
      stop();
      LIVE.remove(this);
      cleanUp(dir, ip);
    }
  }

  /** The end of dockerd's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return "dockerd at " + socketUri() + " (bridge " + bridge + ", " + subnet + ")";
  }

  // ---- internals --------------------------------------------------------------------------------

  private Path socket() {
    return dir.resolve("docker.sock");
  }

  private Path logFile() {
    return dir.resolve("dockerd.log");
  }

  private void removeAllContainers() {
    DockerClient docker = client();
    try {
      for (Container container : docker.listContainersCmd().withShowAll(true).exec()) {
        try {
          docker
              .removeContainerCmd(container.getId())
              .withForce(true)
              .withRemoveVolumes(true)
              .exec();
        } catch (NotFoundException e) {
          // Gone meanwhile.
        }
      }
    } catch (RuntimeException e) {
      System.err.println("cannot remove the containers of " + this + ": " + e);
    }
  }

  private synchronized void closeClient() {
    if (client != null) {
      try {
        client.close();
      } catch (IOException e) {
        // Closing a client only releases connections.
      }
      client = null;
    }
  }

  private void awaitAnswering() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    try (DockerClient probe = newClient(socketUri())) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "dockerd exited with status "
                  + process.exitValue()
                  + " while starting:\n"
                  + logTail());
        }
        if (Files.exists(socket())) {
          try {
            probe.pingCmd().exec();
            return;
          } catch (RuntimeException e) {
            last = e.toString();
          }
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while waiting for dockerd", e);
    } catch (IOException e) {
      // Closing the probe client failed; dockerd answered or the deadline passed already.
    }
    process.destroyForcibly();
    waitForExit(process, STOP_TIMEOUT);
    throw new IllegalStateException(
        "dockerd at "
            + socketUri()
            + " did not answer within "
            + START_TIMEOUT.toSeconds()
            + " s (last: "
            + last
            + "):\n"
            + logTail());
  }

  static DockerClient newClient(URI socket) {
    DefaultDockerClientConfig config =
        new DefaultDockerClientConfig.Builder()
            .withDockerHost(socket.toString())
            .withDockerTlsVerify(false)
            .withDockerConfig(Path.of(System.getProperty("user.home"), ".docker").toString())
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(socket)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofSeconds(60))
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  private static Path requireEverything() {
    Path dockerd = RequiredServices.require("dockerd", INSTALL_HINT);
    for (String helper : List.of("containerd", "runc", "docker-init", "docker-proxy")) {
      RequiredServices.require(helper, INSTALL_HINT);
    }
    RequiredServices.requireRoot("dockerd");
    return dockerd;
  }

  private static Path baseDirectory() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    return tmp.toString().length() <= MAX_BASE_LENGTH ? tmp : Path.of("/tmp");
  }

  /** A {@code 10.213.N.0/24} that no address or route on this machine overlaps. */
  private static String freeSubnet(Path ip) {
    List<String> taken = new ArrayList<>();
    for (String line : run(ip.toString(), "-o", "-4", "addr", "show").split("\n")) {
      String[] words = line.strip().split("\\s+");
      for (int i = 0; i + 1 < words.length; i++) {
        if (words[i].equals("inet")) {
          taken.add(words[i + 1]);
        }
      }
    }
    for (String line :
        run(ip.toString(), "-o", "-4", "route", "show", "table", "all").split("\n")) {
      String[] words = line.strip().split("\\s+");
      int at = words.length > 0 && words[0].matches("unicast|local|broadcast|multicast") ? 1 : 0;
      if (words.length > at && words[at].matches("\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?")) {
        taken.add(words[at]);
      }
    }
    int start = ThreadLocalRandom.current().nextInt(256);
    for (int i = 0; i < 256; i++) {
      String candidate = "10.213." + ((start + i) % 256) + ".0/24";
      if (taken.stream().noneMatch(cidr -> overlaps(cidr, candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free /24 in 10.213.0.0/16 for a test dockerd's bridge");
  }

  static boolean overlaps(String a, String b) {
    long[] x = cidr(a);
    long[] y = cidr(b);
    long prefix = Math.min(x[1], y[1]);
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (x[0] & mask) == (y[0] & mask);
  }

  private static long[] cidr(String value) {
    String[] parts = value.split("/");
    long address = 0;
    for (String octet : parts[0].split("\\.")) {
      address = (address << 8) | Long.parseLong(octet);
    }
    return new long[] {address, parts.length > 1 ? Long.parseLong(parts[1]) : 32};
  }

  private static String gateway(String subnet) {
    return subnet.substring(0, subnet.lastIndexOf(".")) + ".1";
  }

  /** Cleans up after daemons whose JVM died without closing them (killed tests, crashed builds). */
  private static void sweepAbandoned(Path base, Path ip) {
    try (Stream<Path> entries = Files.list(base)) {
      for (Path candidate : entries.toList()) {
        String name = candidate.getFileName().toString();
        if (!name.startsWith(DIR_PREFIX) || !Files.isDirectory(candidate)) {
          continue;
        }
        Optional<Long> owner = readPid(candidate.resolve("owner"));
        if (owner.isEmpty() || ProcessHandle.of(owner.get()).isPresent()) {
          continue; // Not ours to judge, or its JVM still runs.
        }
        System.err.println("cleaning up a test dockerd abandoned by process " + owner.get());
        killFromPidFile(candidate.resolve("docker.pid"), "dockerd");
        killFromPidFile(candidate.resolve("exec/containerd/containerd.pid"), "containerd");
        cleanUp(candidate, ip);
      }
    } catch (IOException e) {
      System.err.println("cannot look for abandoned test dockerds in " + base + ": " + e);
    }
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Stops the process named in {@code pidFile} if it is still {@code command}. */
  private static void killFromPidFile(Path pidFile, String command) {
    Optional<ProcessHandle> handle = readPid(pidFile).flatMap(ProcessHandle::of);
    if (handle.isEmpty()
        || !handle.get().info().command().map(c -> c.endsWith("/" + command)).orElse(false)) {
      return;
    }
    handle.get().destroy();
    try {
      handle.get().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      handle.get().destroyForcibly();
    }
  }

  /** Unmounts what is left under {@code dir}, removes its bridge and deletes it. */
  private static void cleanUp(Path dir, Path ip) {
    for (Path mount : mountsUnder(dir)) {
      try {
        run("umount", "-l", mount.toString());
      } catch (IllegalStateException e) {
        System.err.println("cannot unmount " + mount + ": " + e.getMessage());
      }
    }
    try {
      String bridge = Files.readString(dir.resolve("bridge")).strip();
      if (Files.exists(Path.of("/sys/class/net", bridge))) {
        run(ip.toString(), "link", "del", bridge);
      }
      removeCgroups(bridge);
    } catch (IOException | IllegalStateException e) {
      System.err.println("cannot remove the bridge of " + dir + ": " + e.getMessage());
    }
    deleteWithinFileSystem(dir);
  }

  /** Removes the (by now empty) cgroup parent named {@code name} from every hierarchy. */
  private static void removeCgroups(String name) {
    Path root = Path.of("/sys/fs/cgroup");
    List<Path> candidates = new ArrayList<>(List.of(root.resolve(name)));
    try (Stream<Path> hierarchies = Files.list(root)) {
      hierarchies.filter(Files::isDirectory).forEach(h -> candidates.add(h.resolve(name)));
    } catch (IOException e) {
      return; // No cgroup file system: nothing to remove.
    }
    for (Path cgroup : candidates) {
      try {
        // rmdir: a cgroup directory goes away with its control files once it has no children.
        Files.deleteIfExists(cgroup);
      } catch (IOException e) {
        System.err.println("cannot remove cgroup " + cgroup + ": " + e);
      }
    }
  }

  /** Mount points below {@code dir}, deepest first. */
  private static List<Path> mountsUnder(Path dir) {
    List<Path> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] fields = line.split(" ");
        if (fields.length > 4) {
          Path mountPoint = Path.of(unescapeMountPath(fields[4]));
          if (mountPoint.startsWith(dir) && !mountPoint.equals(dir)) {
            mounts.add(mountPoint);
          }
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    mounts.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return mounts;
  }

  private static String unescapeMountPath(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Deletes {@code root} without crossing into other file systems: a mount that survived would
   * otherwise have its contents (a container's root, a bind-mounted host directory) deleted.
   */
  private static void deleteWithinFileSystem(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Object device = Files.getAttribute(root, "unix:dev");
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes attrs)
                throws IOException {
              return device.equals(Files.getAttribute(path, "unix:dev"))
                  ? FileVisitResult.CONTINUE
                  : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(path);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path path, IOException e) {
              try {
                Files.deleteIfExists(path);
              } catch (IOException notEmpty) {
                // Holds a skipped mount: leave it.
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("cannot delete " + root + ": " + e);
    }
  }

  private static boolean waitForExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Runs a command and returns its standard output; fails with its output if it fails. */
  static String run(String... command) {
    try {
      Process child =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!child.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        child.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out");
      }
      if (child.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + child.exitValue()
                + ": "
                + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command[0], e);
    }
  }
}
