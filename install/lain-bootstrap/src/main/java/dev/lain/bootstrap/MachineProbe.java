package dev.lain.bootstrap;

import dev.lain.exec.CommandRunner;
import dev.lain.exec.ProcessCommandRunner;
import dev.lain.model.Ipv4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@link Facts} of this machine. It only reads: files under the root, and programs that
 * report (id, uname, ip, lsblk, blkid, findmnt, dpkg-query, systemctl is-active, docker info).
 * Programs run through a {@link CommandRunner}, so tests give canned answers.
 */
public final class MachineProbe {
  /** Programs whose presence the checks or the plan depend on. */
  static final List<String> COMMANDS =
      List.of(
          "curl",
          "apt-get",
          "dpkg",
          "systemctl",
          "docker",
          "ip",
          "lsblk",
          "blkid",
          "findmnt",
          "modinfo");

  /** Every service bootstrap may run, plus Debian's own that it stops. */
  static final List<String> SERVICES =
      List.of(
          "docker",
          "lain-dockerd",
          "lain-etcd",
          "lain-registry",
          "lain-node",
          "lain-master",
          "lain-agent",
          "lain-router",
          "nginx",
          "docker-registry",
          "etcd");

  private static final Pattern ADDRESS =
      Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+([0-9.]+)/(\\d+)", Pattern.MULTILINE);
  private static final Pattern ROUTE_DEV = Pattern.compile("\\bdev\\s+(\\S+)");
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;

  private final CommandRunner runner;
  private final StoreReader storeReader;

  public MachineProbe(CommandRunner runner, StoreReader storeReader) {
    this.runner = runner;
    this.storeReader = storeReader;
  }

  /** The probe of the real machine (store read through {@code Stores.open}). */
  public static MachineProbe of(Options options) {
    return new MachineProbe(
        new ProcessCommandRunner(java.time.Duration.ofSeconds(20)),
        new UrlStoreReader(options.root(), InstantSource.system()));
  }

  public Facts probe(Options options) {
    Path root = options.root();
    Set<String> commands = new HashSet<>();
    for (String command : COMMANDS) {
      if (runner.run(List.of("sh", "-c", "command -v " + command)).succeeded()) {
        commands.add(command);
      }
    }
    boolean systemd = Files.isDirectory(Layout.under(root, Layout.SYSTEMD_RUNNING));
    Optional<String> defaultInterface = Optional.empty();
    List<Facts.HostAddress> addresses = List.of();
    if (commands.contains("ip")) {
      addresses = addresses(runner.run(List.of("ip", "-o", "-4", "addr", "show")).stdout());
      Matcher dev =
          ROUTE_DEV.matcher(runner.run(List.of("ip", "-4", "route", "show", "default")).stdout());
      defaultInterface = dev.find() ? Optional.of(dev.group(1)) : Optional.empty();
    }
    Optional<Facts.Device> device =
        options
            .dockerDevice()
            .map(d -> device(d, Layout.under(root, d), commands, deviceMapper(root, commands)));
    return new Facts(
        uid(),
        systemd,
        kernelRelease(root),
        commands,
        hostname(root),
        addresses,
        defaultInterface,
        device,
        installed(options, root, commands, systemd));
  }

  private int uid() {
    CommandRunner.Result result = runner.run(List.of("id", "-u"));
    try {
      return result.succeeded() ? Integer.parseInt(result.stdout().strip()) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private String kernelRelease(Path root) {
    CommandRunner.Result uname = runner.run(List.of("uname", "-r"));
    if (uname.succeeded() && !uname.stdout().isBlank()) {
      return uname.stdout().strip();
    }
    return read(Layout.under(root, "/proc/sys/kernel/osrelease")).map(String::strip).orElse("");
  }

  private String hostname(Path root) {
    CommandRunner.Result result = runner.run(List.of("hostname"));
    if (result.succeeded() && !result.stdout().isBlank()) {
      return result.stdout().strip();
    }
    return read(Layout.under(root, "/etc/hostname")).map(String::strip).orElse("");
  }

  static List<Facts.HostAddress> addresses(String ipOutput) {
    List<Facts.HostAddress> found = new ArrayList<>();
    Matcher m = ADDRESS.matcher(ipOutput);
    while (m.find()) {
      int prefix = Integer.parseInt(m.group(3));
      if (Ipv4.problem(m.group(2)).isEmpty() && prefix <= 32) {
        found.add(new Facts.HostAddress(m.group(1), m.group(2), prefix));
      }
    }
    return found;
  }

  /**
   * Whether LVM can work here: device-mapper is in the kernel ({@code /proc/misc}), loaded ({@code
   * /sys/module/dm_mod}) or loadable ({@code modinfo dm_mod}; the LVM tools load it).
   */
  private boolean deviceMapper(Path root, Set<String> commands) {
    if (read(Layout.under(root, "/proc/misc")).filter(m -> m.contains("device-mapper")).isPresent()
        || Files.isDirectory(Layout.under(root, "/sys/module/dm_mod"))) {
      return true;
    }
    return commands.contains("modinfo") && runner.run(List.of("modinfo", "dm_mod")).succeeded();
  }

  private Facts.Device device(String given, Path path, Set<String> commands, boolean deviceMapper) {
    if (!Files.exists(path)) {
      return Facts.Device.missing(given);
    }
    boolean block = isBlockDevice(path);
    if (!block) {
      return new Facts.Device(given, true, false, 0, List.of(), List.of());
    }
    long size = 0;
    List<String> mounts = List.of();
    if (commands.contains("lsblk")) {
      CommandRunner.Result sizes =
          runner.run(List.of("lsblk", "-b", "-n", "-d", "-o", "SIZE", path.toString()));
      try {
        size = sizes.succeeded() ? Long.parseLong(sizes.stdout().strip()) : 0;
      } catch (NumberFormatException e) {
        size = 0;
      }
      // Without -d lsblk lists the device and what sits on it (partitions, logical volumes).
      mounts =
          runner
              .run(List.of("lsblk", "-n", "-o", "MOUNTPOINT", path.toString()))
              .stdout()
              .lines()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .distinct()
              .toList();
    }
    List<String> signatures = new ArrayList<>();
    if (commands.contains("blkid")) {
      // blkid -p reads the device itself (not its cache); exit 2 means it found nothing.
      CommandRunner.Result blkid =
          runner.run(List.of("blkid", "-p", "-o", "export", path.toString()));
      signatures.addAll(signatures(blkid.stdout()));
    }
    return new Facts.Device(given, true, true, size, mounts, signatures, deviceMapper);
  }

  static List<String> signatures(String blkidExport) {
    Set<String> found = new LinkedHashSet<>();
    for (String line : blkidExport.lines().toList()) {
      if (line.startsWith("TYPE=")) {
        found.add(line.substring("TYPE=".length()).strip());
      } else if (line.startsWith("PTTYPE=")) {
        found.add(line.substring("PTTYPE=".length()).strip() + " partition table");
      }
    }
    return List.copyOf(found);
  }

  private static boolean isBlockDevice(Path path) {
    try {
      Object mode = Files.getAttribute(path, "unix:mode");
      return mode instanceof Integer m && (m & S_IFMT) == S_IFBLK;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private Facts.Installed installed(
      Options options, Path root, Set<String> commands, boolean systemd) {
    Set<String> packages = new HashSet<>();
    if (commands.contains("dpkg")) {
      Set<String> asked = new LinkedHashSet<>(Plan.packages(options));
      asked.addAll(Plan.packages(options.withMode(Mode.CLUSTER)));
      List<String> query =
          new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package} ${Status}\\n"));
      query.addAll(asked);
      for (String line : runner.run(query).stdout().lines().toList()) {
        String[] parts = line.strip().split("\\s+", 2);
        if (parts.length == 2 && parts[1].equals("install ok installed")) {
          packages.add(parts[0]);
        }
      }
    }
    Set<String> running = new HashSet<>();
    if (systemd && commands.contains("systemctl")) {
      List<String> query = new ArrayList<>(List.of("systemctl", "is-active"));
      query.addAll(SERVICES);
      List<String> states = runner.run(query).stdout().lines().map(String::strip).toList();
      for (int i = 0; i < Math.min(states.size(), SERVICES.size()); i++) {
        if (states.get(i).equals("active")) {
          running.add(SERVICES.get(i));
        }
      }
    }
    for (String service : SERVICES) {
      String pidFile = service.equals("nginx") ? "/run/nginx.pid" : Layout.pidFile(service);
      if (service.startsWith("lain-")) {
        read(Layout.under(root, pidFile))
            .flatMap(MachineProbe::pid)
            .filter(pid -> Service.startedAs(pid, service))
            .ifPresent(pid -> running.add(service));
      } else if (service.equals("nginx")) {
        read(Layout.under(root, pidFile))
            .flatMap(MachineProbe::pid)
            .filter(MachineProbe::alive)
            .ifPresent(pid -> running.add(service));
      }
    }
    boolean dockerRunning =
        commands.contains("docker")
            && runner.run(List.of("docker", "info", "--format", "{{.ServerVersion}}")).succeeded();
    boolean baseImage =
        dockerRunning
            && runner.run(List.of("docker", "image", "inspect", "lain/busybox:latest")).succeeded();
    Map<String, String> files = new HashMap<>();
    List<String> paths =
        new ArrayList<>(List.of(Layout.DAEMON_JSON, Layout.REGISTRY_CONFIG, Layout.STORE_FILE));
    SERVICES.stream().filter(s -> s.startsWith("lain-")).map(Layout::unit).forEach(paths::add);
    for (String path : paths) {
      read(Layout.under(root, path)).ifPresent(content -> files.put(path, content));
    }
    Set<String> present = new HashSet<>();
    for (String path : List.of(Layout.CA_CERT, Layout.ADMIN_CLI_CONFIG)) {
      if (Files.isRegularFile(Layout.under(root, path))) {
        present.add(path);
      }
    }
    // What dockerd holds decides whether a Docker disk may take over its data root.
    Optional<Facts.DockerContents> contents = Optional.empty();
    if (dockerRunning && options.dockerDevice().isPresent()) {
      CommandRunner.Result counts =
          runner.run(List.of("docker", "info", "--format", Facts.DockerContents.FORMAT));
      if (counts.succeeded()) {
        contents = Facts.DockerContents.parse(counts.stdout());
      }
    }
    Optional<String> dockerData = Optional.empty();
    if (commands.contains("findmnt")) {
      CommandRunner.Result mount =
          runner.run(
              List.of(
                  "findmnt",
                  "-n",
                  "-o",
                  "SOURCE",
                  "--mountpoint",
                  Layout.under(root, Layout.DOCKER_DATA).toString()));
      if (mount.succeeded() && !mount.stdout().isBlank()) {
        // Mounts stacked on the data root are listed in mount order: the last one is in use.
        List<String> sources = mount.stdout().strip().lines().map(String::strip).toList();
        dockerData = Optional.of(sources.get(sources.size() - 1));
      }
    }
    String storeUrl =
        options.mode() == Mode.SINGLE_NODE || !running.contains("lain-etcd")
            ? "embedded:" + Layout.EMBEDDED_STORE
            : "etcd://127.0.0.1:" + Layout.ETCD_CLIENT_PORT;
    // A node being given a Docker disk is not asked about the cluster store.
    Optional<Facts.StoreContents> store =
        options.storageOnly() ? Optional.empty() : storeReader.read(storeUrl);
    return new Facts.Installed(
        packages, running, dockerRunning, baseImage, files, present, dockerData, store, contents);
  }

  private static Optional<Long> pid(String text) {
    try {
      return Optional.of(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Optional<String> read(Path file) {
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
