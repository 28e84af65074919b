package dev.lain.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This machine's own Debian booted with systemd as PID 1 in a container ({@code systemd-nspawn}),
 * for tests of what LAIN does under systemd (units, enable, restart, reboot) on a machine that does
 * not run systemd itself.
 *
 * <p>The container's root is an overlay of this machine's {@code /} whose writes go to a tmpfs, so
 * nothing it does reaches this machine's files; it has its own network (loopback only), pids, /run
 * and /tmp, and its own cgroup. Units that would act on the real machine (udev, sysctl, module
 * loading, time sync, binfmt) are masked, as are Debian's PostgreSQL and e2scrub. Docker runs in it
 * on cgroup v2 without controllers (resource limits are discarded with a warning) and a data root
 * on the tmpfs. The LAIN paths of an earlier install on this machine ({@code /etc/lain}, {@code
 * /var/lib/lain}, ...) are removed in the overlay, so the container starts fresh.
 *
 * <p>Needs root, systemd-nspawn (Debian's systemd-container) and nsenter.
 */
public final class SystemdMachine implements Machine {
  private static final List<String> MASKED =
      List.of(
          "systemd-udevd.service",
          "systemd-udevd-control.socket",
          "systemd-udevd-kernel.socket",
          "systemd-udev-trigger.service",
          "systemd-udev-settle.service",
          "systemd-sysctl.service",
          "systemd-modules-load.service",
          "systemd-timesyncd.service",
          "systemd-binfmt.service",
          "proc-sys-fs-binfmt_misc.automount",
          "postgresql.service",
          "postgresql@15-main.service",
          "e2scrub_reap.service");

  private static final List<String> FRESH =
      List.of(
          "etc/lain",
          "etc/docker/daemon.json",
          "etc/systemd/system/docker.service.d",
          "var/lib/lain",
          "var/log/lain",
          "root/.lain");

  private final Path dir;
  private final Path layers;
  private final List<Path> cgroups;
  private final List<Path> shared;
  private final DockerRoot dockerRoot;
  private final List<String> devices;
  private Process nspawn;
  private long init;
  private int boots;

  private SystemdMachine(
      Path dir,
      Path layers,
      List<Path> cgroups,
      List<Path> shared,
      DockerRoot dockerRoot,
      List<String> devices) {
    this.dir = dir;
    this.layers = layers;
    this.cgroups = cgroups;
    this.shared = List.copyOf(shared);
    this.dockerRoot = dockerRoot;
    this.devices = List.copyOf(devices);
  }

  /**
   * Boots a new machine keeping its console logs under {@code dir} (emptied first).
   *
   * @param shared directories of this machine the machine sees read-only at the same paths (a
   *     repository under /tmp would otherwise be hidden by the machine's own /tmp)
   */
  public static SystemdMachine boot(Path dir, List<Path> shared) {
    return boot(dir, shared, DockerRoot.HOST_DISK, List.of());
  }

  /**
   * Boots a new machine as {@link #boot(Path, List)} does, with its Docker data root as {@code
   * dockerRoot} says and this machine's block {@code devices} (e.g. a loop device standing in for a
   * server's Docker disk) in its /dev. The machine has no network but loopback until an interface
   * is moved into it ({@link VpcSwitch#plug}); a reboot gives it a new, empty network namespace.
   */
  public static SystemdMachine boot(
      Path dir, List<Path> shared, DockerRoot dockerRoot, List<String> devices) {
    RequiredServices.requireRoot("a systemd machine (systemd-nspawn)");
    RequiredServices.require("systemd-nspawn", "apt-get install systemd-container");
    RequiredServices.require("nsenter", "apt-get install util-linux");
    // Not under dir: dir may lie in a directory the machine sees (the repository), and the
    // machine would then see its own root's mounts a second time there (its Docker disk "in use").
    Path layers =
        Path.of("/run/lain-machines")
            .resolve(
                dir.getFileName()
                    + "-"
                    + Integer.toHexString(dir.toAbsolutePath().normalize().hashCode()));
    // A run that died left its layers mounted: deleting through the overlay would walk all of /.
    runQuietly(List.of("umount", "-R", layers.toString()));
    ChildProcesses.deleteRecursively(dir);
    try {
      Files.createDirectories(dir);
      Files.createDirectories(layers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The overlay's upper layer cannot live inside its lower one (/): a tmpfs holds it.
    ChildProcesses.runOrFail(
        List.of("mount", "-t", "tmpfs", "-o", "size=8g", "tmpfs", layers.toString()));
    SystemdMachine machine =
        new SystemdMachine(
            dir, layers, cgroups(dir.getFileName().toString()), shared, dockerRoot, devices);
    try {
      machine.prepareRoot();
      machine.start();
      return machine;
    } catch (RuntimeException e) {
      machine.close();
      throw e;
    }
  }

  private void prepareRoot() {
    Path root = layers.resolve("root");
    try {
      for (String name : List.of("upper", "work", "docker", "root")) {
        Files.createDirectories(layers.resolve(name));
      }
      if (dockerRoot == DockerRoot.FOR_A_DOCKER_DISK) {
        // A whiteout hides this machine's /var/lib/docker; the directory made over it is opaque.
        Files.createDirectories(layers.resolve("upper/var/lib"));
        ChildProcesses.runOrFail(
            List.of("mknod", layers.resolve("upper/var/lib/docker").toString(), "c", "0", "0"));
      }
      ChildProcesses.runOrFail(
          List.of(
              "mount",
              "-t",
              "overlay",
              "overlay",
              "-o",
              "lowerdir=/,upperdir="
                  + layers.resolve("upper")
                  + ",workdir="
                  + layers.resolve("work"),
              root.toString()));
      for (String path : FRESH) {
        ChildProcesses.deleteRecursively(root.resolve(path));
      }
      for (String units :
          List.of("etc/systemd/system", "etc/systemd/system/multi-user.target.wants")) {
        Path directory = root.resolve(units);
        Files.createDirectories(directory);
        try (var earlier = Files.newDirectoryStream(directory, "lain-*")) {
          for (Path unit : earlier) {
            Files.delete(unit);
          }
        }
      }
      Files.createDirectories(root.resolve("var/lib/docker"));
      for (String unit : MASKED) {
        Path mask = root.resolve("etc/systemd/system").resolve(unit);
        Files.deleteIfExists(mask);
        Files.createSymbolicLink(mask, Path.of("/dev/null"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A cgroup of its own in every hierarchy (cgroup v1 controllers and v2), so that the container's
   * systemd manages that subtree and not this machine's.
   */
  private static List<Path> cgroups(String name) {
    List<Path> made = new ArrayList<>();
    Path base = Path.of("/sys/fs/cgroup");
    List<Path> hierarchies = new ArrayList<>();
    if (Files.exists(base.resolve("cgroup.controllers"))) {
      hierarchies.add(base);
    } else {
      try (var entries = Files.newDirectoryStream(base)) {
        for (Path h : entries) {
          if (Files.exists(h.resolve("cgroup.procs"))) {
            hierarchies.add(h);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      for (Path h : hierarchies) {
        Path group = h.resolve("lain-machine-" + name);
        Files.createDirectories(group);
        for (String inherited : List.of("cpuset.cpus", "cpuset.mems")) {
          if (Files.exists(group.resolve(inherited))
              && Files.readString(group.resolve(inherited)).isBlank()) {
            Files.writeString(group.resolve(inherited), Files.readString(h.resolve(inherited)));
          }
        }
        made.add(group);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return made;
  }

  private void start() {
    boots++;
    StringBuilder join = new StringBuilder();
    for (Path group : cgroups) {
      join.append("echo $$ > ").append(group.resolve("cgroup.procs")).append("; ");
    }
    List<String> command =
        List.of(
            "sh",
            "-c",
            join
                + "exec systemd-nspawn -D "
                + layers.resolve("root")
                + " --boot --register=no --keep-unit --private-network"
                + (dockerRoot == DockerRoot.HOST_DISK
                    ? " --bind=" + layers.resolve("docker") + ":/var/lib/docker"
                    : "")
                + devices.stream().map(d -> " --bind=" + d).reduce("", String::concat)
                + " --capability=all"
                + shared.stream().map(p -> " --bind-ro=" + p).reduce("", String::concat)
                // Docker's runc creates session keyrings and device cgroup programs.
                + " --system-call-filter='add_key keyctl request_key bpf'"
                + " --machine=lain-"
                + dir.getFileName());
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("console-" + boots + ".log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      // Docker in the container needs writable cgroups: v2, in the container's own subtree.
      builder.environment().put("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
      nspawn = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String state = "not started";
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> systemd =
          nspawn
              .toHandle()
              .descendants()
              .filter(p -> p.info().command().filter(c -> c.endsWith("/systemd")).isPresent())
              .findFirst();
      if (systemd.isPresent()) {
        init = systemd.get().pid();
        state =
            sh("systemctl is-system-running", Path.of("/"), Duration.ofSeconds(10))
                .output()
                .strip();
        if (state.equals("running") || state.equals("degraded")) {
          return;
        }
      }
      if (!nspawn.isAlive()) {
        throw new IllegalStateException(
            "systemd-nspawn exited "
                + nspawn.exitValue()
                + ": see "
                + dir.resolve("console-" + boots + ".log"));
      }
      pause(Duration.ofMillis(500));
    }
    throw new IllegalStateException(
        "the machine did not finish booting within 90 s (systemctl is-system-running: "
            + state
            + "; console: "
            + dir.resolve("console-" + boots + ".log")
            + ")");
  }

  @Override
  public Machine.Result sh(String script, Path workingDir, Duration timeout) {
    // The machine's root and directory too: its root is its own, not this machine's.
    return MachineSandbox.inNamespaces(
        init, List.of("--all", "--root", "--wd"), dir, script, workingDir, timeout);
  }

  @Override
  public long initPid() {
    return init;
  }

  /** Where the machine's {@code machinePath} is on this machine (while the machine runs). */
  public Path path(String machinePath) {
    return layers.resolve("root").resolve(machinePath.replaceFirst("^/+", ""));
  }

  /** Reboots the machine (systemctl reboot) and waits until systemd runs it again. */
  public void reboot() {
    sh("systemctl reboot", Path.of("/"), Duration.ofSeconds(30));
    awaitExit(Duration.ofSeconds(90));
    start();
  }

  private void awaitExit(Duration atMost) {
    try {
      if (!nspawn.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        nspawn.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        nspawn.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      // systemd-nspawn's own child may outlive it for a moment, holding the root busy.
      pause(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Powers the machine off and removes its layers and cgroups; its console logs stay. */
  @Override
  public void close() {
    if (nspawn != null && nspawn.isAlive()) {
      sh("systemctl poweroff", Path.of("/"), Duration.ofSeconds(30));
      awaitExit(Duration.ofSeconds(60));
    }
    Path root = layers.resolve("root");
    runQuietly(List.of("umount", root.toString()));
    runQuietly(List.of("umount", layers.toString()));
    runQuietly(List.of("rmdir", layers.toString()));
    for (Path group : cgroups) {
      runQuietly(
          List.of("find", group.toString(), "-depth", "-type", "d", "-exec", "rmdir", "{}", ";"));
    }
  }

  private static void runQuietly(List<String> command) {
    try {
      new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
