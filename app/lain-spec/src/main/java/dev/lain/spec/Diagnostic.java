package dev.lain.spec;

import java.util.Objects;

/**
 * One problem found in a lain.yaml, located at the node it is about.
 *
 * @param path where in the manifest: dotted top-level keys ({@code build.prepare.version}, {@code
 *     release.copy[0].src}), or {@code procs <key as written>} followed by the field ({@code procs
 *     web.memory}); empty when the problem concerns the whole file
 * @param message what is wrong and what is expected, quoting the offending value
 * @param line 1-based line of the offending node
 * @param column 1-based column of the offending node
 */
public record Diagnostic(String path, String message, int line, int column) {
  public Diagnostic {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    if (message.isBlank()) {
      throw new IllegalArgumentException("a diagnostic needs a message");
    }
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /**
   * The form users see, e.g. {@code procs web.admin: mountpoint required for a web proc not named
   * web (lain.yaml:12:3)}.
   */
  public String format(String fileName) {
    String location = " (" + fileName + ":" + line + ":" + column + ")";
    return path.isEmpty() ? message + location : path + ": " + message + location;
  }
}
