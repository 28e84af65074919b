package dev.lain.dockerdisk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands and files that put Docker's data root on a dedicated device: LVM on the device, an
 * xfs file system with {@code ftype=1} (overlay2 needs d_type) on the logical volume, mounted at
 * the data root and persisted in fstab by UUID. Pure: computing a plan reads nothing and runs
 * nothing; {@link DockerStorage} decides whether it is safe and runs it.
 *
 * <p>The storage driver is overlay2 (see the README for why not devicemapper direct-lvm, which LAIN
 * used): it is set in daemon.json by {@link DaemonJson}, not here.
 */
public record StoragePlan(Path device, Path dataRoot, StorageOptions options, List<Step> steps) {

  /** The file system label, visible in {@code blkid} and {@code lsblk -f}. */
  public static final String LABEL = "lain-docker";

  public StoragePlan {
    steps = List.copyOf(steps);
    requirePath("device", device);
    requirePath("data root", dataRoot);
    if (dataRoot.getNameCount() == 0) {
      throw new IllegalArgumentException("data root: must not be /");
    }
  }

  /** The plan for {@code device} mounted at {@code dataRoot}. */
  public static StoragePlan of(Path device, Path dataRoot, StorageOptions options) {
    requirePath("device", device);
    requirePath("data root", dataRoot);
    StoragePlan skeleton = new StoragePlan(device, dataRoot, options, List.of());
    return new StoragePlan(device, dataRoot, options, skeleton.computeSteps());
  }

  /** The block device that receives the file system: the logical volume, or the device. */
  public Path target() {
    return switch (options.layout()) {
      case LVM -> Path.of("/dev", options.volumeGroup(), options.logicalVolume());
      case WHOLE_DEVICE -> device;
    };
  }

  /** The fstab line: by UUID, because device names (vdb, loop0, dm-0) change between boots. */
  public String fstabLine() {
    // fsck pass 0: fsck.xfs does nothing, xfs repairs its log when mounted.
    return "UUID="
        + options.filesystemUuid()
        + " "
        + dataRoot
        + " xfs "
        + options.mountOptions()
        + " 0 0";
  }

  /**
   * Only the steps that record an existing mount (fstab, systemd drop-in), for a device that is
   * already prepared: each is a no-op when its file already says so.
   */
  public List<Step> persistSteps() {
    return steps.stream()
        .filter(step -> step instanceof Step.AddFstabEntry || step instanceof Step.WriteFile)
        .toList();
  }

  /** This plan with a first step that wipes every signature off the device ({@code --force}). */
  public StoragePlan withWipeFirst() {
    List<Step> all = new ArrayList<>();
    all.add(
        new Step.Run(
            List.of("wipefs", "-a", device.toString()),
            device + " holds no signature (its old contents are unreachable)"));
    all.addAll(steps);
    return new StoragePlan(device, dataRoot, options, all);
  }

  /**
   * The commands that take everything this plan did apart again, in order: for tests, and for the
   * operator who wants to start over. The fstab line and drop-in are left to remove by hand.
   */
  public List<List<String>> undoCommands() {
    return undoCommands(steps.size());
  }

  /** The commands that undo the first {@code done} steps, last first. */
  public List<List<String>> undoCommands(int done) {
    List<List<String>> undo = new ArrayList<>();
    for (int i = Math.min(done, steps.size()) - 1; i >= 0; i--) {
      if (steps.get(i) instanceof Step.Run run) {
        List<String> command =
            switch (run.argv().getFirst()) {
              case "pvcreate" -> lvm("pvremove", "-y", device.toString());
              case "vgcreate" -> lvm("vgremove", "-y", options.volumeGroup());
              case "lvcreate" ->
                  lvm("lvremove", "-y", options.volumeGroup() + "/" + options.logicalVolume());
              case "mkfs.xfs" ->
                  options.layout() == StorageOptions.Layout.WHOLE_DEVICE
                      ? List.of("wipefs", "-a", device.toString())
                      : List.of();
              case "mount" -> List.of("umount", dataRoot.toString());
              default -> List.of();
            };
        if (!command.isEmpty()) {
          undo.add(command);
        }
      }
    }
    return undo;
  }

  /** The plan as an operator reads it (also what {@code --dry-run} should print). */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("Docker storage on ")
        .append(device)
        .append(" (")
        .append(options.layout() == StorageOptions.Layout.LVM ? "LVM" : "whole device")
        .append("), data root ")
        .append(dataRoot)
        .append(", storage driver overlay2 on xfs\n");
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      out.append(String.format("%2d. ", i + 1)).append(step.describe()).append('\n');
      out.append("    then: ").append(step.stateAfter()).append('\n');
    }
    return out.toString();
  }

  private List<Step> computeSteps() {
    List<Step> steps = new ArrayList<>();
    Path target = target();
    String dev = device.toString();
    if (options.layout() == StorageOptions.Layout.LVM) {
      String vg = options.volumeGroup();
      steps.add(
          new Step.Run(
              lvm("pvcreate", "-y", dev),
              dev + " is an LVM physical volume outside any volume group"));
      steps.add(
          new Step.Run(
              lvm("vgcreate", vg, dev),
              dev + " is the physical volume of volume group " + vg + ", which has no volume"));
      steps.add(
          new Step.Run(
              // -W y: a signature left in the extents (an old file system) must not survive.
              lvm(
                  "lvcreate",
                  "-y",
                  "-W",
                  "y",
                  "-l",
                  options.extents(),
                  "-n",
                  options.logicalVolume(),
                  vg),
              "volume group " + vg + " holds " + target + " with no file system"));
    }
    steps.add(
        new Step.Run(
            // ftype=1 records file types in directories: without it overlay2 refuses to run.
            List.of(
                "mkfs.xfs",
                "-n",
                "ftype=1",
                "-m",
                "uuid=" + options.filesystemUuid(),
                "-L",
                LABEL,
                target.toString()),
            target
                + " holds an empty xfs file system (UUID "
                + options.filesystemUuid()
                + "), not mounted"));
    steps.add(
        new Step.MakeDirectory(
            dataRoot, target + " holds an empty xfs file system; " + dataRoot + " exists"));
    steps.add(
        new Step.Run(
            List.of(
                "mount",
                "-t",
                "xfs",
                "-o",
                options.mountOptions(),
                target.toString(),
                dataRoot.toString()),
            target + " is mounted at " + dataRoot + " until the next boot (not in fstab yet)"));
    steps.add(
        new Step.AddFstabEntry(
            options.fstab(),
            dataRoot,
            fstabLine(),
            target + " is mounted at " + dataRoot + " and in " + options.fstab()));
    options
        .dockerUnitDropIn()
        .ifPresent(
            dropIn ->
                steps.add(
                    new Step.WriteFile(
                        dropIn,
                        "# Written by LAIN (lain-storage): Docker's data root is a mount of its"
                            + " own;\n# without it Docker would fill the root file system.\n"
                            + "[Unit]\nRequiresMountsFor="
                            + dataRoot
                            + "\n",
                        target
                            + " is mounted at "
                            + dataRoot
                            + ", in "
                            + options.fstab()
                            + ", and docker.service waits for it (after systemctl"
                            + " daemon-reload)")));
    return steps;
  }

  private List<String> lvm(String command, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(command);
    if (!options.lvmConfig().isEmpty()) {
      argv.add("--config");
      argv.add(options.lvmConfig());
    }
    argv.addAll(List.of(args));
    return argv;
  }

  private static void requirePath(String what, Path path) {
    if (!path.isAbsolute() || !path.normalize().equals(path)) {
      throw new IllegalArgumentException(what + ": must be an absolute, normal path: " + path);
    }
    // fstab and systemd separate fields with white space.
    if (path.toString().chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(what + ": must not contain white space: " + path);
    }
  }
}
