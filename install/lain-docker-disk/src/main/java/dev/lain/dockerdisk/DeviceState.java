package dev.lain.dockerdisk;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What {@link DockerStorage#probe} found on the machine, the input to {@link Readiness#decide}.
 *
 * @param sizeBytes the device's size; empty if it is not a block device
 * @param mountPoints where the device, or anything on it (partitions, volumes), is mounted
 * @param signature what {@code blkid -p} recognises on the device: a file system type, {@code
 *     LVM2_member}, or {@code partition table <type>}
 * @param dataRootMount what is mounted exactly at the data root, if anything
 * @param targetDevice {@code major:minor} of the plan's target (the logical volume) if it exists
 * @param targetUuid the file system UUID on the target, when it is the one mounted at the data root
 * @param dataRootHasFiles whether the data root is a non-empty directory
 */
public record DeviceState(
    OptionalLong sizeBytes,
    List<String> mountPoints,
    Optional<String> signature,
    Optional<Mount> dataRootMount,
    Optional<String> targetDevice,
    Optional<UUID> targetUuid,
    boolean dataRootHasFiles) {

  public DeviceState {
    mountPoints = List.copyOf(mountPoints);
  }

  /** A mount as findmnt reports it. */
  public record Mount(String device, String fsType) {}

  /** An empty device of {@code size} bytes with nothing at the data root. */
  public static DeviceState blank(long size) {
    return new DeviceState(
        OptionalLong.of(size),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false);
  }
}
