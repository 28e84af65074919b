package dev.lain.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A private copy of this machine for tests that install LAIN as {@code ./bootstrap} does, with the
 * machine's own paths and ports. It runs in new mount, network and pid namespaces:
 *
 * <ul>
 *   <li>network: its own loopback (ports 80, 443, 2379, 5000, 9000 are free there) and optionally
 *       one address on a veth pair, reachable only inside the sandbox;
 *   <li>mounts: {@code /run} is an empty tmpfs, and the places LAIN and Docker write ({@link
 *       #PRIVATE_PATHS}) are empty directories of the sandbox; {@code /etc}, {@code /var/lib},
 *       {@code /var/log}, {@code /root} and {@code /opt} are overlays so that whatever else the
 *       sandbox writes there stays in the sandbox. Packages, /usr and the repository are the
 *       machine's;
 *   <li>pids: every process started inside dies when the sandbox closes.
 * </ul>
 *
 * <p>Needs root and util-linux's {@code unshare} and {@code nsenter}.
 */
public final class MachineSandbox implements Machine {
  /** Paths that start empty in the sandbox and whose contents the test can read on the host. */
  public static final List<String> PRIVATE_PATHS =
      List.of(
          "/etc/lain",
          "/etc/docker",
          "/var/lib/lain",
          "/var/lib/docker",
          "/var/log/lain",
          "/root/.lain");

  private static final List<String> OVERLAID =
      List.of("/etc", "/var/lib", "/var/log", "/root", "/opt");

  private final Path dir;
  private final Process unshare;
  private final long init;

  private MachineSandbox(Path dir, Process unshare, long init) {
    this.dir = dir;
    this.unshare = unshare;
    this.init = init;
  }

  /**
   * Starts a sandbox keeping its files under {@code dir}, which is emptied first (a failed run's
   * files stay there for reading until the next run).
   *
   * @param address an address with prefix for a veth interface {@code lain0}, e.g. {@code
   *     192.168.77.21/24} (a default route points into it, as on a server); empty for loopback only
   */
  public static MachineSandbox start(Path dir, Optional<String> address) {
    return start(dir, address, DockerRoot.HOST_DISK);
  }

  /** As {@link #start(Path, Optional)}, with {@code /var/lib/docker} as {@code dockerRoot} says. */
  public static MachineSandbox start(Path dir, Optional<String> address, DockerRoot dockerRoot) {
    RequiredServices.requireRoot("a machine sandbox (mount, network and pid namespaces)");
    RequiredServices.require("unshare", "apt-get install util-linux");
    RequiredServices.require("nsenter", "apt-get install util-linux");
    RequiredServices.require("ip", "apt-get install iproute2");
    StringBuilder script = new StringBuilder("set -eu\n");
    script.append("mount -t tmpfs -o mode=0755 tmpfs /run\n");
    for (String path : OVERLAID) {
      Path layer = dir.resolve("overlay" + path);
      script
          .append("mkdir -p ")
          .append(layer.resolve("upper"))
          .append(' ')
          .append(layer.resolve("work"))
          .append('\n');
      if (dockerRoot == DockerRoot.FOR_A_DOCKER_DISK && path.equals("/var/lib")) {
        // A whiteout hides the host's /var/lib/docker; the directory made over it is opaque.
        script.append("mknod ").append(layer.resolve("upper/docker")).append(" c 0 0\n");
      }
      script
          .append("mount -t overlay overlay -o lowerdir=")
          .append(path)
          .append(",upperdir=")
          .append(layer.resolve("upper"))
          .append(",workdir=")
          .append(layer.resolve("work"))
          .append(' ')
          .append(path)
          .append('\n');
    }
    for (String path : PRIVATE_PATHS) {
      if (dockerRoot == DockerRoot.FOR_A_DOCKER_DISK && path.equals("/var/lib/docker")) {
        script.append("mkdir ").append(path).append('\n');
        continue;
      }
      script
          .append("mkdir -p ")
          .append(path)
          .append(' ')
          .append(hostPath(dir, path))
          .append("\nmount --bind ")
          .append(hostPath(dir, path))
          .append(' ')
          .append(path)
          .append('\n');
    }
    script.append("ip link set lo up\n");
    address.ifPresent(
        a ->
            script
                .append("ip link add lain0 type veth peer name lain0p\n")
                .append("ip addr add ")
                .append(a)
                .append(" dev lain0\n")
                .append("ip link set lain0p up\nip link set lain0 up\n")
                .append("ip route add default dev lain0\n"));
    script.append("echo ready\nexec sleep infinity\n");
    try {
      ChildProcesses.deleteRecursively(dir);
      Files.createDirectories(dir);
      Process process =
          new ProcessBuilder(
                  "unshare",
                  "--mount",
                  "--net",
                  "--pid",
                  "--fork",
                  "--mount-proc",
                  "--propagation",
                  "private",
                  "--kill-child",
                  "bash",
                  "-c",
                  script.toString())
              .redirectErrorStream(true)
              .start();
      BufferedReader output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<List<String>> lines =
          CompletableFuture.supplyAsync(
              () -> {
                List<String> seen = new ArrayList<>();
                try {
                  for (String line = output.readLine(); line != null; line = output.readLine()) {
                    seen.add(line);
                    if (line.equals("ready")) {
                      break;
                    }
                  }
                } catch (IOException e) {
                  seen.add(e.toString());
                }
                return seen;
              });
      List<String> seen = lines.get(30, TimeUnit.SECONDS);
      if (!seen.contains("ready")) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the machine sandbox did not start:\n" + String.join("\n", seen));
      }
      long init =
          process
              .toHandle()
              .children()
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("unshare has no child"))
              .pid();
      return new MachineSandbox(dir, process, init);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the machine sandbox: " + e, e);
    }
  }

  /**
   * Connects two sandboxes as two machines on one network: a veth pair {@code lain0} with {@code
   * aAddress} in {@code a} and {@code bAddress} in {@code b} (addresses with prefix, e.g. {@code
   * 192.168.77.21/24}); each gets a default route into it, as on a server.
   */
  public static void connect(MachineSandbox a, String aAddress, MachineSandbox b, String bAddress) {
    ChildProcesses.runOrFail(
        List.of(
            "ip",
            "link",
            "add",
            "name",
            "lain0",
            "netns",
            Long.toString(a.init),
            "type",
            "veth",
            "peer",
            "name",
            "lain0",
            "netns",
            Long.toString(b.init)));
    a.bringUp(aAddress);
    b.bringUp(bAddress);
  }

  /** The pid of the sandbox's init, whose namespaces are the machine's. */
  @Override
  public long initPid() {
    return init;
  }

  /** Where {@code machinePath}, one of {@link #PRIVATE_PATHS}, keeps its files on the host. */
  public Path hostPath(String machinePath) {
    return hostPath(dir, machinePath);
  }

  private static Path hostPath(Path dir, String machinePath) {
    return dir.resolve("private").resolve(machinePath.replaceFirst("^/+", ""));
  }

  @Override
  public Result sh(String script, Path workingDir, Duration timeout) {
    return inNamespaces(
        init, List.of("--mount", "--net", "--pid"), dir, script, workingDir, timeout);
  }

  /**
   * Runs {@code script} with bash as root in the namespaces ({@code nsenter} flags) of {@code
   * target}, with a clean environment; its output is buffered in a file under {@code logDir}.
   */
  static Result inNamespaces(
      long target,
      List<String> namespaces,
      Path logDir,
      String script,
      Path workingDir,
      Duration timeout) {
    List<String> command = new ArrayList<>(List.of("nsenter", "--target", Long.toString(target)));
    command.addAll(namespaces);
    command.addAll(
        List.of(
            "--",
            "env",
            "-i",
            "HOME=/root",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG=C.UTF-8",
            "bash",
            "-c",
            // The directory is entered inside: nsenter resolves --wd=DIR before the machine's root.
            "cd \"$1\" || exit 125; eval \"$2\"",
            "bash",
            workingDir.toString(),
            script));
    try {
      Path log = Files.createTempFile(logDir, "sh-", ".log");
      Process process =
          new ProcessBuilder(command)
              // nsenter --all also enters the machine's root, where this JVM's directory is not.
              .directory(Path.of("/").toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      return new Result(exited ? process.exitValue() : 124, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + script, e);
    }
  }

  /**
   * What a power cut does: every process but the sandbox's init is killed at once (SIGKILL), and
   * {@code /run} is emptied as a reboot finds it. Files on disk stay.
   */
  public void powerCycle() {
    Result killed =
        sh(
            "kill -9 -1 2>/dev/null; sleep 1;"
                + " awk '$2 ~ \"^/var/lib/docker/\" {print $2}' /proc/mounts | sort -r"
                + " | xargs -r umount -l;"
                + " umount -l /run; mount -t tmpfs -o mode=0755 tmpfs /run",
            Path.of("/"),
            Duration.ofSeconds(30));
    if (!killed.succeeded()) {
      throw new IllegalStateException("power cycle failed: " + killed.output());
    }
  }

  /** Kills every process of the sandbox; its files stay under the directory it was given. */
  @Override
  public void close() {
    ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
    unshare.destroyForcibly();
    try {
      unshare.waitFor(30, TimeUnit.SECONDS);
      ProcessHandle.of(init).ifPresent(h -> h.onExit().join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
