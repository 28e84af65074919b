package dev.lain.bootstrap;

import dev.lain.dockerdisk.DockerStorage;
import dev.lain.dockerdisk.StorageException;
import dev.lain.dockerdisk.StorageOptions;
import dev.lain.dockerdisk.StoragePlan;
import dev.lain.dockerdisk.StorageReport;
import dev.lain.exec.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The executor's Docker steps: the Docker disk (lain-docker-disk, after moving a pristine data root
 * aside), starting dockerd and checking where it stores, and the base image.
 */
final class DockerSteps {
  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Machine machine;
  private final PidFiles pidFiles;
  private final InstantSource clock;
  private final Supplier<UUID> uuids;

  DockerSteps(Machine machine, PidFiles pidFiles, InstantSource clock, Supplier<UUID> uuids) {
    this.machine = machine;
    this.pidFiles = pidFiles;
    this.clock = clock;
    this.uuids = uuids;
  }

  void prepareStorage(Action.PrepareDockerStorage action) {
    StorageOptions options =
        StorageOptions.defaults(uuids.get())
            .withLayout(
                action.lvm() ? StorageOptions.Layout.LVM : StorageOptions.Layout.WHOLE_DEVICE)
            .withVolumeGroup(action.volumeGroup())
            .withForce(action.wipe())
            .withFstab(machine.at(Layout.FSTAB))
            .withDockerUnitDropIn(
                Optional.of(
                    machine.at(Layout.SYSTEMD_UNITS + "/docker.service.d/lain-storage.conf")))
            .withLvmConfig(DockerStorage.lvmConfigFor(machine.at("/run/udev/control")));
    StoragePlan storage =
        StoragePlan.of(Path.of(action.device()), Path.of(action.mountPoint()), options);
    if (!action.wipe()) {
      // --force keeps its old meaning: mount over whatever the data root holds.
      moveAsidePristineDataRoot(action.mountPoint());
    }
    DockerStorage.Outcome outcome =
        new DockerStorage(machine.runner(), machine.root()).prepare(storage);
    machine.note(
        outcome.changed()
            ? action.device() + ": " + String.join(", ", outcome.applied())
            : action.device() + " was prepared already");
  }

  /**
   * Installing Debian's docker.io starts dockerd, which fills the data root at once. When that
   * Docker holds no container and no image, it is stopped and its data root renamed to {@code <data
   * root>.pre-lain-<time>} (never deleted), so the disk can be mounted there; the {@code docker}
   * step starts it again. A data root with containers or images is refused with what it holds.
   * Anything else (a mount point, a directory that is not Docker's) is left to lain-docker-disk,
   * which refuses a non-empty data root.
   */
  private void moveAsidePristineDataRoot(String dataRoot) {
    Path directory = machine.at(dataRoot);
    if (!Files.isDirectory(directory) || isEmpty(directory)) {
      return;
    }
    CommandRunner.Result mount =
        machine.run(List.of("findmnt", "-n", "-r", "-o", "SOURCE", "--mountpoint", dataRoot));
    if (mount.succeeded() && !mount.stdout().isBlank()) {
      return;
    }
    CommandRunner.Result info =
        machine.run(List.of("docker", "info", "--format", Facts.DockerContents.FORMAT));
    Optional<Facts.DockerContents> answered =
        info.succeeded() ? Facts.DockerContents.parse(info.stdout()) : Optional.empty();
    Optional<Facts.DockerContents> contents = answered.or(() -> contentsOnDisk(directory));
    if (contents.isEmpty()) {
      return;
    }
    if (!contents.get().pristine()) {
      throw new StepFailed(
          dataRoot
              + " holds "
              + contents.get().describe()
              + (answered.isPresent() ? " (docker info)" : " (its files; dockerd did not answer)")
              + ": nothing was changed. Remove them (docker rm, docker rmi), or stop Docker and"
              + " move "
              + dataRoot
              + " away yourself, then run again; or pass --force to mount the disk over them"
              + " (they stay hidden underneath; --force also wipes any signature on the device)");
    }
    stopDocker(answered.isPresent());
    String aside =
        dataRoot
            + Layout.MOVED_ASIDE
            + ASIDE_TIME.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    try {
      // No REPLACE_EXISTING: an earlier copy is never overwritten.
      Files.move(directory, machine.at(aside));
    } catch (IOException e) {
      throw new StepFailed(
          "Docker was stopped but "
              + dataRoot
              + " could not be moved to "
              + aside
              + ": "
              + e
              + "; move it yourself, then run again");
    }
    machine.note(
        dataRoot
            + " held a pristine Docker (no containers, no images): "
            + dataRoot
            + " moved aside to "
            + aside
            + " (not deleted: remove it once Docker runs on the disk)");
  }

  /**
   * What a Docker data root holds by its files, for a dockerd that does not answer: entries under
   * {@code containers/} and image records under {@code image/<driver>/imagedb/content/sha256/};
   * empty when the directory does not look like Docker's.
   */
  private static Optional<Facts.DockerContents> contentsOnDisk(Path dataRoot) {
    Path containers = dataRoot.resolve("containers");
    Path images = dataRoot.resolve("image");
    if (!Files.isDirectory(containers) || !Files.isDirectory(images)) {
      return Optional.empty();
    }
    try (Stream<Path> drivers = Files.list(images)) {
      int imageCount = 0;
      for (Path driver : drivers.toList()) {
        Path records = driver.resolve("imagedb/content/sha256");
        if (Files.isDirectory(records)) {
          imageCount += count(records);
        }
      }
      return Optional.of(new Facts.DockerContents(count(containers), imageCount));
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static int count(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return Math.toIntExact(entries.count());
    }
  }

  private static boolean isEmpty(Path directory) {
    try {
      return count(directory) == 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Stops Docker before its data root moves: systemd's units, else our pid file. */
  private void stopDocker(boolean answers) {
    if (machine.systemd()) {
      // The socket too, or the next docker command would start it again.
      machine.must(List.of("systemctl", "stop", "docker.socket", "docker"));
      machine.note("Docker stopped (systemctl stop docker.socket docker)");
      return;
    }
    if (pidFiles.alive("lain-dockerd").isPresent()) {
      pidFiles.stop("lain-dockerd", true);
      machine.note("Docker stopped (" + Layout.pidFile("lain-dockerd") + ")");
      return;
    }
    if (answers) {
      throw new StepFailed(
          "dockerd runs but not from "
              + Layout.pidFile("lain-dockerd")
              + ": stop it yourself (service docker stop), then run again");
    }
  }

  /**
   * Starts dockerd (or restarts it), waits for it, and on a Docker disk checks that it stores
   * there.
   *
   * @param device whether {@code --docker-device} was given
   */
  void start(Action.StartDocker action, boolean device) {
    if (action.supervision() == Supervision.SYSTEMD) {
      if (device) {
        // lain-docker-disk's drop-in makes docker wait for its disk; systemd must read it first.
        machine.must(List.of("systemctl", "daemon-reload"));
      }
      machine.must(
          action.restart()
              ? List.of("systemctl", "restart", "docker")
              : List.of("systemctl", "enable", "-q", "--now", "docker"));
    } else {
      machine.directory(Layout.RUN);
      machine.directory(Layout.LOGS);
      // The docker-storage step may have stopped it already to move its data root aside.
      if (action.restart() && machine.run(List.of("docker", "info")).succeeded()) {
        pidFiles.stop("lain-dockerd", true);
      }
      if (pidFiles.alive("lain-dockerd").isEmpty()) {
        pidFiles.start(new Service("lain-dockerd", List.of("dockerd")));
      }
    }
    machine.waitFor("dockerd", List.of("docker", "info"), "docker info");
    if (device) {
      String info = machine.must(List.of("docker", "info", "--format", "{{json .}}")).stdout();
      StorageReport report = StorageReport.fromInfoJson(info);
      try {
        report.requireProduction(Path.of(Layout.DOCKER_DATA));
      } catch (StorageException e) {
        throw new StepFailed(
            "Docker does not run on the prepared disk: "
                + e.getMessage().replace("\n", "; ")
                + " ("
                + report.summary()
                + ")");
      }
      machine.note(report.summary());
    }
  }

  void buildBaseImage(Action.BuildBaseImage action) {
    Path busybox = machine.at("/bin/busybox");
    if (!Files.isRegularFile(busybox)) {
      throw new StepFailed("/bin/busybox is missing: install busybox-static");
    }
    Path context = machine.at(Layout.RUN + "/base-image");
    try {
      deleteTree(context);
      Files.createDirectories(context);
      Files.copy(busybox, context.resolve("busybox"));
      Files.writeString(
          context.resolve("Dockerfile"),
          "FROM scratch\nCOPY busybox /bin/busybox\n"
              + "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n");
      machine.must(List.of("docker", "build", "-q", "-t", action.image(), context.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(context);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
