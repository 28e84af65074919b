package dev.lain.dockerdisk;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How to lay out Docker's storage on a device. {@link #defaults(UUID)} is what {@code
 * --docker-device} means; tests move the host files ({@code fstab}, the systemd drop-in) into a
 * temporary directory.
 *
 * @param layout LVM on the device (the default, as LAIN did) or xfs directly on it
 * @param volumeGroup the LVM volume group created on the device, {@code lain-docker}
 * @param logicalVolume the logical volume holding the file system, {@code data}
 * @param extents how much of the volume group the volume takes, in {@code lvcreate -l} terms;
 *     {@code 95%FREE} leaves room to grow it or to take a snapshot before an upgrade
 * @param filesystemUuid the UUID given to the new file system, so that the fstab line is known
 *     before mkfs runs (the caller draws it at random; tests fix it)
 * @param mountOptions xfs mount options for the data root
 * @param minimumBytes smaller devices are refused: LAIN refused less than 10 GiB
 * @param fstab the file the mount is persisted in, {@code /etc/fstab}
 * @param dockerUnitDropIn a systemd drop-in making docker.service wait for the mount, or empty
 *     where Docker does not run under systemd
 * @param lvmConfig passed to every LVM command as {@code --config}; empty for the host's own
 *     lvm.conf. See {@link #NO_UDEV_LVM_CONFIG}
 * @param force wipe an existing signature (partition table, file system, LVM) and mount over a
 *     non-empty data root; a mounted device is refused even so
 */
@RecordBuilder
public record StorageOptions(
    Layout layout,
    String volumeGroup,
    String logicalVolume,
    String extents,
    UUID filesystemUuid,
    String mountOptions,
    long minimumBytes,
    Path fstab,
    Optional<Path> dockerUnitDropIn,
    String lvmConfig,
    boolean force)
    implements StorageOptionsBuilder.With {

  /** LAIN's minimum for the Docker device. */
  public static final long TEN_GIB = 10L << 30;

  /**
   * LVM settings for machines without a running udev (containers, minimal VMs): LVM creates the
   * device nodes itself instead of waiting for udev to do it, which would otherwise hang until the
   * command's timeout; and it accepts every device, since an image's lvm.conf may filter out loop
   * devices and udev's device list is not there to consult.
   */
  public static final String NO_UDEV_LVM_CONFIG =
      "devices { filter=[\"a|.*|\"] global_filter=[\"a|.*|\"] obtain_device_list_from_udev=0 }"
          + " activation { udev_sync=0 udev_rules=0 }";

  /** Where Docker's storage goes. */
  public enum Layout {
    /** Device -> physical volume -> volume group -> logical volume -> xfs. */
    LVM,
    /**
     * xfs directly on the device: for kernels without device-mapper, and for devices that are
     * themselves already a volume (a cloud disk one never resizes in place).
     */
    WHOLE_DEVICE
  }

  private static final Pattern LVM_NAME = Pattern.compile("[A-Za-z0-9+_.][A-Za-z0-9+_.-]*");
  private static final Pattern EXTENTS = Pattern.compile("[1-9][0-9]*(%(VG|FREE|PVS))?");

  public StorageOptions {
    if (!LVM_NAME.matcher(volumeGroup).matches() || volumeGroup.length() > 64) {
      throw new IllegalArgumentException("volume group: not an LVM name: " + volumeGroup);
    }
    if (!LVM_NAME.matcher(logicalVolume).matches() || logicalVolume.length() > 64) {
      throw new IllegalArgumentException("logical volume: not an LVM name: " + logicalVolume);
    }
    if (!EXTENTS.matcher(extents).matches()) {
      throw new IllegalArgumentException(
          "extents: must be <n>, <n>%VG, <n>%FREE or <n>%PVS: " + extents);
    }
    if (mountOptions.isBlank() || mountOptions.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("mount options: must be non-empty, without spaces");
    }
    if (minimumBytes < 0) {
      throw new IllegalArgumentException("minimum size must not be negative: " + minimumBytes);
    }
    if (!fstab.isAbsolute()) {
      throw new IllegalArgumentException("fstab: must be an absolute path: " + fstab);
    }
    if (dockerUnitDropIn.isPresent() && !dockerUnitDropIn.get().isAbsolute()) {
      throw new IllegalArgumentException("drop-in: must be an absolute path: " + dockerUnitDropIn);
    }
  }

  /** LVM layout, {@code lain-docker/data} on 95% of the device, persisted in /etc/fstab. */
  public static StorageOptions defaults(UUID filesystemUuid) {
    return new StorageOptions(
        Layout.LVM,
        "lain-docker",
        "data",
        "95%FREE",
        filesystemUuid,
        "defaults,noatime",
        TEN_GIB,
        Path.of("/etc/fstab"),
        Optional.of(Path.of("/etc/systemd/system/docker.service.d/lain-storage.conf")),
        "",
        false);
  }
}
