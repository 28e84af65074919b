package dev.lain.dockerdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.exec.CommandRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerStorageTest {
  static final long GIB = 1L << 30;

  @TempDir Path dir;
  Path dataRoot;
  Path fstab;
  StoragePlan plan;

  @BeforeEach
  void setUp() throws Exception {
    dataRoot = dir.resolve("docker");
    fstab = dir.resolve("fstab");
    Files.writeString(fstab, "UUID=1234 / ext4 errors=remount-ro 0 1\n");
    plan =
        StoragePlan.of(
            Path.of("/dev/vdb"),
            dataRoot,
            StorageOptions.defaults(StoragePlanTest.FS_UUID)
                .withFstab(fstab)
                .withDockerUnitDropIn(Optional.of(dir.resolve("lain-storage.conf"))));
  }

  @Test
  void blankDeviceGetsTheWholePlanInOrder() throws Exception {
    FakeRunner runner = FakeRunner.blankDevice(100 * GIB);

    DockerStorage.Outcome outcome = new DockerStorage(runner).prepare(plan);

    assertThat(runner.changes())
        .containsExactly(
            "pvcreate -y /dev/vdb",
            "vgcreate lain-docker /dev/vdb",
            "lvcreate -y -W y -l 95%FREE -n data lain-docker",
            "mkfs.xfs -n ftype=1 -m uuid="
                + StoragePlanTest.FS_UUID
                + " -L lain-docker /dev/lain-docker/data",
            "mount -t xfs -o defaults,noatime /dev/lain-docker/data " + dataRoot);
    assertThat(outcome.applied()).hasSize(8);
    assertThat(Files.readString(fstab))
        .isEqualTo(
            "UUID=1234 / ext4 errors=remount-ro 0 1\n"
                + "# Docker's data root on its own device (LAIN, lain-storage)\n"
                + plan.fstabLine()
                + "\n");
    assertThat(Files.readString(dir.resolve("lain-storage.conf")))
        .contains("RequiresMountsFor=" + dataRoot);
  }

  @Test
  void preparedDeviceIsLeftAloneAndItsOwnUuidKept() throws Exception {
    String existing = "0b7c5e1e-0000-4000-8000-000000000001";
    FakeRunner runner =
        FakeRunner.blankDevice(100 * GIB)
            .on("blkid -p -o export /dev/vdb", Result.ok("TYPE=LVM2_member\n"))
            .on("lsblk -n -r -o MOUNTPOINT /dev/vdb", Result.ok("\n" + dataRoot + "\n"))
            .on("findmnt", Result.ok("254:0 xfs\n"))
            .on("lsblk -n -r -d -o MAJ:MIN /dev/lain-docker/data", Result.ok("254:0\n"))
            .on(
                "blkid -p -o export /dev/lain-docker/data",
                Result.ok("UUID=" + existing + "\nTYPE=xfs\n"));
    DockerStorage storage = new DockerStorage(runner);

    DockerStorage.Outcome first = storage.prepare(plan);
    DockerStorage.Outcome second = storage.prepare(plan);

    assertThat(runner.changes()).isEmpty();
    assertThat(first.applied()).hasSize(2); // the fstab line and the drop-in were missing
    assertThat(second.changed()).isFalse();
    assertThat(Files.readString(fstab)).contains("UUID=" + existing + " " + dataRoot + " xfs");
  }

  @Test
  void mountedDeviceIsRefusedEvenWithForce() {
    FakeRunner runner =
        FakeRunner.blankDevice(100 * GIB)
            .on("lsblk -n -r -o MOUNTPOINT", Result.ok("\n/srv\n"))
            .on("blkid -p", Result.ok("TYPE=ext4\n"));

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(withForce()))
        .isInstanceOf(StorageException.class)
        .hasMessage(
            "will not prepare /dev/vdb for Docker:\n"
                + "  - /dev/vdb is in use, mounted at /srv: unmount it first (--force does not"
                + " override this)");
    assertThat(runner.changes()).isEmpty();
  }

  @Test
  void deviceWithAFileSystemIsRefusedUnlessForced() {
    FakeRunner runner =
        FakeRunner.blankDevice(100 * GIB).on("blkid -p", Result.ok("UUID=x\nTYPE=ext4\n"));

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(plan))
        .hasMessage(
            "will not prepare /dev/vdb for Docker:\n"
                + "  - /dev/vdb holds a ext4 signature and may hold data: wipe it yourself"
                + " (wipefs -a /dev/vdb) or pass --force");
    assertThat(runner.changes()).isEmpty();

    new DockerStorage(runner).prepare(withForce());
    assertThat(runner.changes()).first().isEqualTo("wipefs -a /dev/vdb");
  }

  @Test
  void partitionTableCountsAsASignature() {
    FakeRunner runner =
        FakeRunner.blankDevice(100 * GIB).on("blkid -p", Result.ok("PTUUID=ab\nPTTYPE=gpt\n"));

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(plan))
        .hasMessageContaining("/dev/vdb holds a partition table gpt signature");
  }

  @Test
  void everyReasonIsGivenAtOnce() throws Exception {
    Files.createDirectories(dataRoot.resolve("overlay2"));
    FakeRunner runner = FakeRunner.blankDevice(8 * GIB).on("blkid -p", Result.ok("TYPE=xfs\n"));

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(plan))
        .hasMessage(
            "will not prepare /dev/vdb for Docker:\n"
                + "  - /dev/vdb has 8.0 GiB: Docker's device needs at least 10.0 GiB\n"
                + "  - /dev/vdb holds a xfs signature and may hold data: wipe it yourself"
                + " (wipefs -a /dev/vdb) or pass --force\n"
                + "  - "
                + dataRoot
                + " is not empty (has Docker run here?): stop Docker and"
                + " move its contents away, or pass --force to mount over them (they stay hidden"
                + " underneath)");
  }

  @Test
  void tooSmallIsRefusedEvenWithForce() {
    FakeRunner runner = FakeRunner.blankDevice(5 * GIB);

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(withForce()))
        .hasMessageContaining("/dev/vdb has 5.0 GiB: Docker's device needs at least 10.0 GiB");
  }

  @Test
  void somethingElseAtTheDataRootIsRefused() {
    FakeRunner runner = FakeRunner.blankDevice(100 * GIB).on("findmnt", Result.ok("8:1 ext4\n"));

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(withForce()))
        .hasMessageContaining(
            dataRoot + " is already a mount point (device 8:1, ext4): unmount it first");
  }

  @Test
  void notABlockDeviceIsRefused() {
    FakeRunner runner =
        new FakeRunner().on("blockdev", Result.failed(1, "blockdev: cannot open /dev/vdb"));

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(plan))
        .hasMessage("will not prepare /dev/vdb for Docker:\n  - /dev/vdb is not a block device");
  }

  @Test
  void firstFailingCommandStopsThePlanAndSaysWhereThingsStand() {
    FakeRunner runner =
        FakeRunner.blankDevice(100 * GIB)
            .on("lvcreate", Result.failed(5, "  Insufficient free space: 1 extents needed"));

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(plan))
        .isInstanceOf(StorageException.class)
        .hasMessage(
            "preparing Docker's storage on /dev/vdb failed at step 3 of 8: lvcreate -y -W y -l"
                + " 95%FREE -n data lain-docker\n"
                + "  exit status 5: Insufficient free space: 1 extents needed\n"
                + "Now: /dev/vdb is the physical volume of volume group lain-docker, which has no"
                + " volume.\n"
                + "Fix the cause and run again with --force, or start over by hand: vgremove -y"
                + " lain-docker; pvremove -y /dev/vdb");
    assertThat(runner.changes()).last().asString().startsWith("lvcreate");
    assertThat(dataRoot).doesNotExist();
  }

  @Test
  void anotherFstabEntryForTheDataRootFailsAfterTheMount() throws Exception {
    Files.writeString(fstab, "/dev/sdz1 " + dataRoot + " ext4 defaults 0 2\n");
    FakeRunner runner = FakeRunner.blankDevice(100 * GIB);

    assertThatThrownBy(() -> new DockerStorage(runner).prepare(plan))
        .hasMessageContaining("failed at step 7 of 8: add to " + fstab)
        .hasMessageContaining("already mounts something at " + dataRoot)
        .hasMessageContaining(
            "Now: /dev/lain-docker/data is mounted at "
                + dataRoot
                + " until the next boot (not in fstab yet).");
    assertThat(Files.readString(fstab)).isEqualTo("/dev/sdz1 " + dataRoot + " ext4 defaults 0 2\n");
  }

  @Test
  void lvmConfigDependsOnUdev() throws Exception {
    Path control = dir.resolve("control");
    assertThat(DockerStorage.lvmConfigFor(control)).isEqualTo(StorageOptions.NO_UDEV_LVM_CONFIG);
    Files.createFile(control);
    assertThat(DockerStorage.lvmConfigFor(control)).isEmpty();
  }

  private StoragePlan withForce() {
    return StoragePlan.of(plan.device(), plan.dataRoot(), plan.options().withForce(true));
  }
}
