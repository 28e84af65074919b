package dev.lain.nodeinstall;

import java.nio.file.Path;

/** Commands and files on one node, over one SSH session. */
public interface RemoteShell extends AutoCloseable {
  /** What a command did. */
  record Result(int exitCode, String out, String err) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The last lines of stderr (else stdout), for an error message. */
    public String tail() {
      String text = err.isBlank() ? out : err;
      String[] lines = text.strip().split("\n");
      int from = Math.max(0, lines.length - 5);
      return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
  }

  /** Runs {@code command} with {@code /bin/sh -c} semantics, feeding it {@code stdin}. */
  Result exec(String command, byte[] stdin);

  default Result exec(String command) {
    return exec(command, new byte[0]);
  }

  /**
   * Copies {@code local} to {@code remotePath} with {@code mode} (octal, e.g. "755"), replacing it
   * atomically; skipped when the node has the same bytes already.
   *
   * @return whether anything was copied
   */
  boolean upload(Path local, String remotePath, String mode);

  /** Writes {@code content} to {@code remotePath} with {@code mode}, replacing it atomically. */
  void write(byte[] content, String remotePath, String mode);

  @Override
  void close();

  /** Quotes {@code s} for a POSIX shell. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
