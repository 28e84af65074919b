package dev.lain.dockerdisk;

import dev.lain.exec.CommandRunner;
import dev.lain.exec.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Prepares Docker's storage on this machine (or, through the runner, another one): probes the
 * device, refuses what is unsafe, runs the plan and stops at the first failure.
 *
 * <pre>
 *   probe (blockdev, lsblk, blkid, findmnt) -> DeviceState
 *   Readiness.decide(plan, state) -> Prepared | Ready | Refused
 *   run steps one by one; the first failure -> COMMAND_FAILED naming the step and the state left
 * </pre>
 *
 * <p>Files (fstab, the drop-in) are read and written with {@code java.nio} on this machine; the SSH
 * side runs the whole class on the node, not only its commands.
 */
public final class DockerStorage {
  private final CommandRunner runner;
  private final Path files;

  /** Prepares storage on the machine whose file system is {@code /}. */
  public DockerStorage(CommandRunner runner) {
    this(runner, Path.of("/"));
  }

  /**
   * Prepares storage on a machine whose file system is seen here under {@code files} ({@code /}, or
   * a sandbox in tests): the data root is listed and created under it, while commands, fstab and
   * the drop-in still name the machine's own path.
   */
  public DockerStorage(CommandRunner runner, Path files) {
    this.runner = runner;
    this.files = files;
    if (!files.isAbsolute()) {
      throw new IllegalArgumentException("files must be an absolute path: " + files);
    }
  }

  /** What happened. */
  public record Outcome(List<String> applied) {
    public Outcome {
      applied = List.copyOf(applied);
    }

    /** Whether anything was changed; false when the device was already prepared. */
    public boolean changed() {
      return !applied.isEmpty();
    }
  }

  /**
   * The LVM {@code --config} for this machine: empty where udev runs (LVM's defaults are right),
   * {@link StorageOptions#NO_UDEV_LVM_CONFIG} where it does not, as in most containers.
   *
   * @param udevControl {@code /run/udev/control}, present while udevd runs
   */
  public static String lvmConfigFor(Path udevControl) {
    return Files.exists(udevControl) ? "" : StorageOptions.NO_UDEV_LVM_CONFIG;
  }

  /** Looks at the device and the data root without changing anything. */
  public DeviceState probe(StoragePlan plan) {
    String device = plan.device().toString();
    CommandRunner.Result size = runner.run(List.of("blockdev", "--getsize64", device));
    OptionalLong sizeBytes = OptionalLong.empty();
    if (size.succeeded()) {
      try {
        sizeBytes = OptionalLong.of(Long.parseLong(size.stdout().strip()));
      } catch (NumberFormatException e) {
        // Not a size: treated as not a block device.
      }
    }
    List<String> mountPoints = new ArrayList<>();
    CommandRunner.Result lsblk =
        runner.run(List.of("lsblk", "-n", "-r", "-o", "MOUNTPOINT", device));
    if (lsblk.succeeded()) {
      lsblk.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(mountPoints::add);
    }
    Optional<String> signature = Optional.empty();
    // -p: probe the device itself, not a cache that may predate the last wipe.
    CommandRunner.Result blkid = runner.run(List.of("blkid", "-p", "-o", "export", device));
    if (blkid.succeeded()) {
      signature =
          exportValue(blkid.stdout(), "TYPE")
              .or(() -> exportValue(blkid.stdout(), "PTTYPE").map(t -> "partition table " + t));
    }
    Optional<DeviceState.Mount> atRoot = Optional.empty();
    CommandRunner.Result findmnt =
        runner.run(
            List.of(
                "findmnt",
                "-n",
                "-r",
                "-o",
                "MAJ:MIN,FSTYPE",
                "--mountpoint",
                plan.dataRoot().toString()));
    if (findmnt.succeeded()) {
      String[] fields = findmnt.stdout().strip().split("\\s+");
      if (fields.length == 2) {
        atRoot = Optional.of(new DeviceState.Mount(fields[0], fields[1]));
      }
    }
    Optional<String> target = Optional.empty();
    CommandRunner.Result targetDev =
        runner.run(List.of("lsblk", "-n", "-r", "-d", "-o", "MAJ:MIN", plan.target().toString()));
    if (targetDev.succeeded() && !targetDev.stdout().isBlank()) {
      target = Optional.of(targetDev.stdout().strip());
    }
    Optional<UUID> uuid = Optional.empty();
    if (atRoot.isPresent() && atRoot.get().device().equals(target.orElse(""))) {
      CommandRunner.Result id =
          runner.run(List.of("blkid", "-p", "-o", "export", plan.target().toString()));
      if (id.succeeded()) {
        uuid = exportValue(id.stdout(), "UUID").flatMap(DockerStorage::parseUuid);
      }
    }
    return new DeviceState(
        sizeBytes, mountPoints, signature, atRoot, target, uuid, hasFiles(seen(plan.dataRoot())));
  }

  /**
   * Makes Docker's data root the plan's file system on the plan's device. Safe to run again: a
   * device already prepared is left alone.
   *
   * @throws StorageException {@code REFUSED} with every reason and nothing changed, or {@code
   *     COMMAND_FAILED} naming the failed step and what the device holds now
   */
  public Outcome prepare(StoragePlan plan) {
    return switch (Readiness.decide(plan, probe(plan))) {
      case Readiness.Refused refused ->
          throw new StorageException(
              StorageException.Code.REFUSED,
              "will not prepare "
                  + plan.device()
                  + " for Docker:\n  - "
                  + String.join("\n  - ", refused.reasons()));
      case Readiness.Prepared prepared -> run(plan, prepared.persistSteps(), true);
      case Readiness.Ready ready -> run(ready.plan(), ready.plan().steps(), false);
    };
  }

  private Outcome run(StoragePlan plan, List<Step> steps, boolean alreadyPrepared) {
    List<String> applied = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      try {
        if (apply(step)) {
          applied.add(step.describe());
        }
      } catch (StorageException e) {
        throw new StorageException(
            StorageException.Code.COMMAND_FAILED,
            failure(plan, steps, i, e.getMessage(), alreadyPrepared),
            e);
      }
    }
    return new Outcome(applied);
  }

  /** Applies one step; false if it had nothing to do. */
  private boolean apply(Step step) {
    switch (step) {
      case Step.Run run -> {
        CommandRunner.Result result = runner.run(run.argv());
        if (!result.succeeded()) {
          String output =
              Commands.tail(result.stderr().isBlank() ? result.stdout() : result.stderr());
          throw new StorageException(
              StorageException.Code.COMMAND_FAILED,
              "exit status " + result.exitCode() + (output.isEmpty() ? "" : ": " + output));
        }
        return true;
      }
      case Step.MakeDirectory mkdir -> {
        Path directory = seen(mkdir.directory());
        if (Files.isDirectory(directory)) {
          return false;
        }
        try {
          Files.createDirectories(directory);
        } catch (IOException e) {
          throw new StorageException(StorageException.Code.IO, e.toString(), e);
        }
        return true;
      }
      case Step.AddFstabEntry entry -> {
        return Fstab.add(entry.fstab(), entry.mountPoint(), entry.line());
      }
      case Step.WriteFile write -> {
        if (AtomicFiles.read(write.file()).filter(write.content()::equals).isPresent()) {
          return false;
        }
        AtomicFiles.write(write.file(), write.content());
        return true;
      }
    }
  }

  private static String failure(
      StoragePlan plan, List<Step> steps, int failed, String why, boolean alreadyPrepared) {
    String state =
        alreadyPrepared
            ? plan.target() + " is mounted at " + plan.dataRoot() + " as before"
            : failed == 0 ? plan.device() + " is unchanged" : steps.get(failed - 1).stateAfter();
    StringBuilder message = new StringBuilder();
    message
        .append("preparing Docker's storage on ")
        .append(plan.device())
        .append(" failed at step ")
        .append(failed + 1)
        .append(" of ")
        .append(steps.size())
        .append(": ")
        .append(steps.get(failed).describe())
        .append("\n  ")
        .append(why)
        .append("\nNow: ")
        .append(state)
        .append('.');
    if (!alreadyPrepared && failed > 0) {
      List<String> undo =
          new StoragePlan(plan.device(), plan.dataRoot(), plan.options(), steps)
              .undoCommands(failed).stream().map(Commands::render).toList();
      message.append("\nFix the cause and run again with --force, or start over by hand");
      message.append(undo.isEmpty() ? "." : ": " + String.join("; ", undo));
    }
    return message.toString();
  }

  /** A path of the machine as this process sees it. */
  private Path seen(Path machinePath) {
    return files.resolve(machinePath.toString().replaceFirst("^/+", ""));
  }

  private static Optional<String> exportValue(String export, String key) {
    return export
        .lines()
        .filter(line -> line.startsWith(key + "="))
        .map(line -> line.substring(key.length() + 1).strip())
        .filter(value -> !value.isEmpty())
        .findFirst();
  }

  private static Optional<UUID> parseUuid(String value) {
    try {
      return Optional.of(UUID.fromString(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean hasFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      throw new StorageException(StorageException.Code.IO, "cannot list " + dir + ": " + e, e);
    }
  }
}
