package dev.lain.dockerdisk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lain.exec.CommandRunner;
import dev.lain.exec.Commands;
import dev.lain.exec.ProcessCommandRunner;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.RequiredServices;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The real thing on a loop device: a 12 GiB sparse file (it costs no disk), prepared by {@link
 * DockerStorage} with the real commands, then a private dockerd on the new data root asked for its
 * info. Host files stay untouched: fstab and the systemd drop-in live in the temporary directory,
 * dockerd gets its own config file, and every loop device, volume and mount is removed in {@code
 * finally}.
 */
class LoopDeviceStorageTest {
  private static final long SIZE = 12L << 30;
  private static final String LVM_HINT = "apt-get install lvm2";
  private static final String XFS_HINT = "apt-get install xfsprogs";

  private final ProcessCommandRunner runner = new ProcessCommandRunner();

  @TempDir Path dir;

  @Test
  void wholeDeviceLayoutGivesDockerOverlay2OnXfs() throws Exception {
    prepareStartAndCheck(StorageOptions.Layout.WHOLE_DEVICE);
  }

  @Test
  void lvmLayoutGivesDockerOverlay2OnXfs() throws Exception {
    prepareStartAndCheck(StorageOptions.Layout.LVM);
  }

  private void prepareStartAndCheck(StorageOptions.Layout layout) throws Exception {
    requireTools(layout);
    Path image = dir.resolve("disk.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(SIZE);
    }
    Path dataRoot = dir.resolve("docker-root");
    Path fstab = dir.resolve("fstab");
    Files.writeString(fstab, "# the test's own fstab\n");
    String device = check(List.of("losetup", "-f", "--show", image.toString())).strip();
    StoragePlan plan = null;
    try {
      StorageOptions options =
          StorageOptions.defaults(UUID.randomUUID())
              .withLayout(layout)
              // Its own volume group name: a leftover must never meet a real one.
              .withVolumeGroup(
                  "lain-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()))
              .withFstab(fstab)
              .withDockerUnitDropIn(Optional.of(dir.resolve("docker.service.d/lain.conf")))
              .withLvmConfig(DockerStorage.lvmConfigFor(Path.of("/run/udev/control")));
      plan = StoragePlan.of(Path.of(device), dataRoot, options);
      DockerStorage storage = new DockerStorage(runner);

      DockerStorage.Outcome first = storage.prepare(plan);
      // A second run draws a new UUID, as bootstrap does each time: still nothing to do.
      DockerStorage.Outcome second =
          storage.prepare(
              StoragePlan.of(
                  plan.device(), dataRoot, options.withFilesystemUuid(UUID.randomUUID())));

      assertThat(first.changed()).isTrue();
      assertThat(second.applied()).isEmpty();
      assertThat(Files.readString(fstab)).contains(plan.fstabLine());
      assertThat(
              check(List.of("findmnt", "-n", "-o", "FSTYPE", "--mountpoint", dataRoot.toString()))
                  .strip())
          .isEqualTo("xfs");

      Path daemonJson = dir.resolve("daemon.json");
      DaemonJson.write(
          daemonJson,
          DaemonSettings.forCluster("lain.local", dataRoot, List.of(), List.of(), List.of()));
      ObjectNode config = (ObjectNode) new ObjectMapper().readTree(daemonJson.toFile());
      // DockerDaemon passes --data-root itself; dockerd refuses it twice.
      config.remove("data-root");
      try (DockerDaemon docker = DockerDaemon.startPrivate(dataRoot, config.toString())) {
        StorageReport report = StorageReport.read(docker.client());
        System.out.println("[" + layout + "] docker info via docker-java: " + report.summary());
        report.requireProduction(dataRoot);
        // The CLI's JSON also carries Warnings, which docker-java's Info does not.
        CommandRunner.Result cli =
            runner.run(
                List.of(
                    "docker",
                    "-H",
                    docker.socketUri().toString(),
                    "info",
                    "--format",
                    "{{json .}}"));
        if (cli.succeeded()) {
          StorageReport full = StorageReport.fromInfoJson(cli.stdout());
          System.out.println("[" + layout + "] docker info --format json: " + full.summary());
          full.requireProduction(dataRoot);
        }
        assertThat(report.driver()).isEqualTo("overlay2");
        assertThat(report.backingFilesystem()).contains("xfs");
        assertThat(report.driverStatus()).containsEntry("Supports d_type", "true");
      }
    } finally {
      List<String> leftovers = cleanUp(plan, device, dataRoot);
      assertThat(leftovers).as("cleanup").isEmpty();
    }
  }

  /** Undoes everything, also after a failure halfway; returns what could not be undone. */
  private List<String> cleanUp(StoragePlan plan, String device, Path dataRoot) {
    List<String> problems = new ArrayList<>();
    List<List<String>> undo = new ArrayList<>();
    if (plan != null) {
      undo.addAll(plan.undoCommands());
    } else {
      undo.add(List.of("umount", dataRoot.toString()));
    }
    for (List<String> command : undo) {
      CommandRunner.Result result = runner.run(command);
      // Failing is expected for what a failed run never made; what is left is checked below.
      if (!result.succeeded()) {
        System.err.println("cleanup: " + Commands.render(command) + ": " + result.stderr().strip());
      }
    }
    CommandRunner.Result detach = runner.run(List.of("losetup", "-d", device));
    if (!detach.succeeded()) {
      problems.add("losetup -d " + device + ": " + detach.stderr().strip());
    }
    if (runner.run(List.of("findmnt", "--mountpoint", dataRoot.toString())).succeeded()) {
      problems.add(dataRoot + " is still mounted");
    }
    if (plan != null && plan.options().layout() == StorageOptions.Layout.LVM) {
      CommandRunner.Result vgs =
          runner.run(
              List.of(
                  "vgs",
                  "--config",
                  StorageOptions.NO_UDEV_LVM_CONFIG,
                  plan.options().volumeGroup()));
      if (vgs.succeeded()) {
        problems.add("volume group " + plan.options().volumeGroup() + " is still there");
      }
    }
    return problems;
  }

  private String check(List<String> command) {
    CommandRunner.Result result = runner.run(command);
    if (!result.succeeded()) {
      throw new IllegalStateException(
          Commands.render(command)
              + " exited with "
              + result.exitCode()
              + ": "
              + result.stderr().strip());
    }
    return result.stdout();
  }

  private void requireTools(StorageOptions.Layout layout) throws IOException {
    for (String tool : List.of("losetup", "blockdev", "lsblk", "findmnt", "mount", "wipefs")) {
      RequiredServices.require(tool, "apt-get install util-linux mount");
    }
    RequiredServices.require("blkid", "apt-get install util-linux");
    RequiredServices.require("mkfs.xfs", XFS_HINT);
    RequiredServices.require("dockerd", DockerDaemon.INSTALL_HINT);
    RequiredServices.requireRoot("loop devices, mounts and dockerd");
    if (!Files.isReadable(Path.of("/dev/loop-control"))) {
      RequiredServices.unmet(
          "no /dev/loop-control: this machine (container) offers no loop devices");
    }
    if (layout == StorageOptions.Layout.LVM) {
      for (String tool : List.of("pvcreate", "vgcreate", "lvcreate", "dmsetup")) {
        RequiredServices.require(tool, LVM_HINT);
      }
      CommandRunner.Result dm = runner.run(List.of("dmsetup", "version"));
      if (!dm.succeeded()) {
        // A kernel without device-mapper is not a missing package: no install fixes it, so
        // this skips even where services are required (the whole-device test still runs).
        throw new TestAbortedException(
            "skipped: this kernel has no device-mapper, so no LVM (dmsetup version: "
                + dm.stderr().strip().lines().findFirst().orElse("failed")
                + ")");
      }
    }
  }
}
