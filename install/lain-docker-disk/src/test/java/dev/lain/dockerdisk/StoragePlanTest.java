package dev.lain.dockerdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.exec.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoragePlanTest {
  static final UUID FS_UUID = UUID.fromString("5d1e0f4a-7c2b-4e9d-8a61-3f0c2b7d9e15");

  @Test
  void defaultPlanPutsLvmXfsAndFstabOnTheDevice() throws IOException {
    StoragePlan plan =
        StoragePlan.of(
            Path.of("/dev/vdb"), Path.of("/var/lib/docker"), StorageOptions.defaults(FS_UUID));

    assertGolden("lvm-default.txt", plan.render());
    assertThat(plan.target()).isEqualTo(Path.of("/dev/lain-docker/data"));
    assertThat(plan.fstabLine())
        .isEqualTo(
            "UUID=5d1e0f4a-7c2b-4e9d-8a61-3f0c2b7d9e15 /var/lib/docker xfs defaults,noatime 0 0");
  }

  @Test
  void planWithoutUdevPassesLvmConfigToEveryLvmCommand() throws IOException {
    StoragePlan plan =
        StoragePlan.of(
            Path.of("/dev/sdc"),
            Path.of("/data/docker"),
            StorageOptions.defaults(FS_UUID)
                .withVolumeGroup("docker")
                .withLvmConfig(StorageOptions.NO_UDEV_LVM_CONFIG)
                .withDockerUnitDropIn(Optional.empty()));

    assertGolden("lvm-no-udev.txt", plan.render());
    assertThat(plan.undoCommands().stream().map(Commands::render))
        .containsExactly(
            "umount /data/docker",
            "lvremove --config '" + StorageOptions.NO_UDEV_LVM_CONFIG + "' -y docker/data",
            "vgremove --config '" + StorageOptions.NO_UDEV_LVM_CONFIG + "' -y docker",
            "pvremove --config '" + StorageOptions.NO_UDEV_LVM_CONFIG + "' -y /dev/sdc");
  }

  @Test
  void wholeDevicePlanFormatsTheDeviceItself() throws IOException {
    StoragePlan plan =
        StoragePlan.of(
            Path.of("/dev/nvme1n1"),
            Path.of("/var/lib/docker"),
            StorageOptions.defaults(FS_UUID)
                .withLayout(StorageOptions.Layout.WHOLE_DEVICE)
                .withFstab(Path.of("/tmp/fstab")));

    assertGolden("whole-device.txt", plan.render());
    assertThat(plan.target()).isEqualTo(Path.of("/dev/nvme1n1"));
    assertThat(plan.undoCommands().stream().map(Commands::render))
        .containsExactly("umount /var/lib/docker", "wipefs -a /dev/nvme1n1");
  }

  @Test
  void forcedPlanWipesFirst() {
    StoragePlan plan =
        StoragePlan.of(
                Path.of("/dev/vdb"), Path.of("/var/lib/docker"), StorageOptions.defaults(FS_UUID))
            .withWipeFirst();

    assertThat(plan.steps().getFirst().describe()).isEqualTo("wipefs -a /dev/vdb");
  }

  @Test
  void undoOfAPartialRunUndoesOnlyWhatRan() {
    StoragePlan plan =
        StoragePlan.of(
            Path.of("/dev/vdb"), Path.of("/var/lib/docker"), StorageOptions.defaults(FS_UUID));

    assertThat(plan.undoCommands(2).stream().map(Commands::render))
        .containsExactly("vgremove -y lain-docker", "pvremove -y /dev/vdb");
  }

  @Test
  void impossibleValuesAreRejectedWhenBuilt() {
    StorageOptions options = StorageOptions.defaults(FS_UUID);
    assertThatThrownBy(() -> StoragePlan.of(Path.of("vdb"), Path.of("/var/lib/docker"), options))
        .hasMessage("device: must be an absolute, normal path: vdb");
    assertThatThrownBy(() -> StoragePlan.of(Path.of("/dev/vdb"), Path.of("/"), options))
        .hasMessage("data root: must not be /");
    assertThatThrownBy(
            () -> StoragePlan.of(Path.of("/dev/vdb"), Path.of("/var/lib/my docker"), options))
        .hasMessage("data root: must not contain white space: /var/lib/my docker");
    assertThatThrownBy(() -> options.withVolumeGroup("-bad"))
        .hasMessage("volume group: not an LVM name: -bad");
    assertThatThrownBy(
            () ->
                new StorageOptions(
                    StorageOptions.Layout.LVM,
                    "vg",
                    "lv",
                    "all",
                    FS_UUID,
                    "defaults",
                    0,
                    Path.of("/etc/fstab"),
                    Optional.empty(),
                    "",
                    false))
        .hasMessage("extents: must be <n>, <n>%VG, <n>%FREE or <n>%PVS: all");
  }

  /** Compares with src/test/resources/golden/NAME; -Dlain.golden.update=true rewrites it. */
  static void assertGolden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("lain.golden.update")) {
      Path file = Path.of("src/test/resources/golden", name);
      Files.writeString(file, actual);
    }
    try (InputStream in = StoragePlanTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static List<String> lines(String text) {
    return text.lines().toList();
  }
}
