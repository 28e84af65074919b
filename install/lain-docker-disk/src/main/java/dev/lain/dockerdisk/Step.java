package dev.lain.dockerdisk;

import dev.lain.exec.Commands;
import java.nio.file.Path;
import java.util.List;

/**
 * One action of a {@link StoragePlan}. Each says, in {@link #stateAfter()}, what the machine holds
 * once it has succeeded, so that a failure of the next one can tell the operator where things
 * stand.
 */
public sealed interface Step {
  /** What the device and machine hold after this step succeeded, for error messages. */
  String stateAfter();

  /** How the step reads in a plan. */
  String describe();

  /** Runs a program. */
  record Run(List<String> argv, String stateAfter) implements Step {
    public Run {
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a command needs a program");
      }
    }

    @Override
    public String describe() {
      return Commands.render(argv);
    }
  }

  /** Creates a directory and its parents (nothing if it exists). */
  record MakeDirectory(Path directory, String stateAfter) implements Step {
    @Override
    public String describe() {
      return "mkdir -p " + Commands.quote(directory.toString());
    }
  }

  /**
   * Adds {@code line} to the fstab unless it is there. Another entry for the same mount point is an
   * error: someone else's configuration, not ours to replace.
   */
  record AddFstabEntry(Path fstab, Path mountPoint, String line, String stateAfter)
      implements Step {
    @Override
    public String describe() {
      return "add to " + fstab + ": " + line;
    }
  }

  /** Writes a whole file atomically (nothing if it already has this content). */
  record WriteFile(Path file, String content, String stateAfter) implements Step {
    @Override
    public String describe() {
      return "write " + file + ":\n" + content.strip().indent(6).stripTrailing();
    }
  }
}
