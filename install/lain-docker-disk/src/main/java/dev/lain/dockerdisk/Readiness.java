package dev.lain.dockerdisk;

import dev.lain.exec.Commands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Whether a plan may run on what the machine holds now: a pure decision over a probe. */
public sealed interface Readiness {
  /** Nothing on the device to change: only fstab and the drop-in are made sure of. */
  record Prepared(List<Step> persistSteps) implements Readiness {
    public Prepared {
      persistSteps = List.copyOf(persistSteps);
    }
  }

  /** The plan (with a wipe first under {@code --force}) may run. */
  record Ready(StoragePlan plan) implements Readiness {}

  /** Every reason not to touch the device; nothing was changed. */
  record Refused(List<String> reasons) implements Readiness {
    public Refused {
      reasons = List.copyOf(reasons);
      if (reasons.isEmpty()) {
        throw new IllegalArgumentException("a refusal needs a reason");
      }
    }
  }

  /** Decides what to do with {@code plan} given {@code state}. */
  static Readiness decide(StoragePlan plan, DeviceState state) {
    String device = plan.device().toString();
    String dataRoot = plan.dataRoot().toString();
    Optional<DeviceState.Mount> atRoot = state.dataRootMount();
    if (atRoot.isPresent()
        && state.targetDevice().isPresent()
        && atRoot.get().device().equals(state.targetDevice().get())) {
      if (!atRoot.get().fsType().equals("xfs")) {
        return new Refused(
            List.of(
                plan.target()
                    + " is mounted at "
                    + dataRoot
                    + " as "
                    + atRoot.get().fsType()
                    + ", not xfs: overlay2 wants xfs with ftype=1 here"));
      }
      // The existing file system's UUID, not the fresh one the caller drew for this run.
      StoragePlan existing =
          state.targetUuid().isPresent()
              ? StoragePlan.of(
                  plan.device(),
                  plan.dataRoot(),
                  plan.options().withFilesystemUuid(state.targetUuid().get()))
              : plan;
      return new Prepared(existing.persistSteps());
    }
    if (state.sizeBytes().isEmpty()) {
      return new Refused(List.of(device + " is not a block device"));
    }
    List<String> reasons = new ArrayList<>();
    if (!state.mountPoints().isEmpty()) {
      reasons.add(
          device
              + " is in use, mounted at "
              + String.join(", ", state.mountPoints())
              + ": unmount it first (--force does not override this)");
    }
    long size = state.sizeBytes().getAsLong();
    if (size < plan.options().minimumBytes()) {
      reasons.add(
          device
              + " has "
              + gib(size)
              + ": Docker's device needs at least "
              + gib(plan.options().minimumBytes()));
    }
    if (atRoot.isPresent()) {
      reasons.add(
          dataRoot
              + " is already a mount point (device "
              + atRoot.get().device()
              + ", "
              + atRoot.get().fsType()
              + "): unmount it first");
    }
    if (plan.options().layout() == StorageOptions.Layout.LVM && state.targetDevice().isPresent()) {
      reasons.add(
          plan.target()
              + " already exists: mount it at "
              + dataRoot
              + " yourself, or remove it to start over ("
              + String.join(
                  "; ", plan.undoCommands().stream().skip(1).map(Commands::render).toList())
              + ")");
    }
    if (state.signature().isPresent() && !plan.options().force()) {
      reasons.add(
          device
              + " holds a "
              + state.signature().get()
              + " signature and may hold data: wipe"
              + " it yourself (wipefs -a "
              + device
              + ") or pass --force");
    }
    if (state.dataRootHasFiles() && !plan.options().force()) {
      reasons.add(
          dataRoot
              + " is not empty (has Docker run here?): stop Docker and move its contents"
              + " away, or pass --force to mount over them (they stay hidden underneath)");
    }
    if (!reasons.isEmpty()) {
      return new Refused(reasons);
    }
    return new Ready(state.signature().isPresent() ? plan.withWipeFirst() : plan);
  }

  private static String gib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
