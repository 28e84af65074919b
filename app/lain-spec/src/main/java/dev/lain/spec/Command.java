package dev.lain.spec;

import java.util.List;

/**
 * A proc's {@code entrypoint} or {@code cmd}. Not writing it keeps the image's; writing it, even as
 * an empty list, replaces the image's (an empty entrypoint clears the image's entrypoint).
 */
public sealed interface Command {

  /** Not written: the image's own. */
  record Inherit() implements Command {}

  /** Written: exactly these arguments (shell-form strings are split on whitespace). */
  record Override(List<String> argv) implements Command {
    public Override {
      argv = List.copyOf(argv);
    }
  }

  Command INHERIT = new Inherit();
}
