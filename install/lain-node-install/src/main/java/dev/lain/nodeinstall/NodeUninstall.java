package dev.lain.nodeinstall;

import static dev.lain.nodeinstall.RemoteShell.quote;

import dev.lain.model.node.NodeInstall;
import dev.lain.model.node.NodeLayout;
import dev.lain.records.nodes.NodeInstalls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code node remove} deletes on a node once its agent is stopped: exactly what {@code node
 * add} recorded it installed ({@link NodeInstall}), nothing else.
 *
 * <pre>
 *  check the record: prefix a normalized absolute path, not / nor a system directory; every
 *  recorded file relative to it, without . or ..
 *   └─► rm the recorded files (and their upload leftovers), the start script, the join token
 *        └─► the agent's unit (then systemctl daemon-reload) | its pid and log files
 *             └─► rmdir the directories these leave empty, deepest first, the prefix last
 * </pre>
 *
 * Only {@code rm -f} of named files and {@code rmdir} (which refuses a directory that is not empty)
 * are run, never a recursive delete: files under the prefix that node add did not put there stay,
 * and so does the prefix then. {@link #plan} is pure and refuses a record that would reach outside
 * the prefix or name a system directory as one.
 *
 * @param files absolute paths to delete
 * @param directories absolute directories to remove if empty, deepest first
 * @param unit the agent's systemd unit file, if it ran under systemd
 */
public record NodeUninstall(
    String prefix, List<String> files, List<String> directories, Optional<String> unit) {
  /**
   * Directories that are never a prefix: besides {@code /} and every directory right under it
   * ({@code /opt}, {@code /usr}, ...), these system ones.
   */
  static final Set<String> SYSTEM_DIRECTORIES =
      Set.of(
          "/usr/bin",
          "/usr/sbin",
          "/usr/lib",
          "/usr/lib32",
          "/usr/lib64",
          "/usr/libexec",
          "/usr/include",
          "/usr/local",
          "/usr/local/bin",
          "/usr/local/sbin",
          "/usr/local/lib",
          "/usr/local/share",
          "/usr/share",
          "/usr/src",
          "/var/lib",
          "/var/log",
          "/var/run",
          "/var/cache",
          "/var/tmp",
          "/var/spool",
          "/var/opt",
          "/var/mail",
          "/var/lib/docker",
          "/etc/systemd",
          "/etc/systemd/system",
          "/etc/ssh",
          "/etc/default",
          "/lib/systemd",
          "/lib/systemd/system",
          "/run/systemd");

  public NodeUninstall {
    files = List.copyOf(files);
    directories = List.copyOf(directories);
  }

  /**
   * What to delete for {@code install}.
   *
   * @throws RemoteException {@code REFUSED} when the record names a prefix that is not one node add
   *     would use, or a file outside it; then nothing is to be deleted at all
   */
  public static NodeUninstall plan(NodeInstall install) {
    NodeLayout layout = install.layout();
    String prefix = layout.prefix();
    Optional<String> unsafe = unsafeDirectory(prefix);
    if (unsafe.isPresent()) {
      throw refused(install, "its prefix '" + prefix + "' " + unsafe.get());
    }
    for (String other :
        List.of(layout.dataRoot(), layout.runDir(), layout.logDir(), layout.unitDir())) {
      if (other.equals(prefix) || other.startsWith(prefix + "/")) {
        throw refused(
            install,
            "its prefix '" + prefix + "' holds '" + other + "', which is not the distribution's");
      }
    }
    Set<String> files = new LinkedHashSet<>();
    Set<String> directories = new LinkedHashSet<>();
    List<String> relatives = new ArrayList<>(install.files());
    // Written by the agent starter rather than copied; under etc/ whatever the starter was.
    relatives.add(relativeTo(prefix, layout.agentScript()));
    relatives.add(relativeTo(prefix, layout.joinTokenFile()));
    for (String relative : relatives) {
      if (!isPlainRelative(relative)) {
        throw refused(
            install,
            "it records the file '" + relative + "', which is not a path under its prefix");
      }
      files.add(prefix + "/" + relative);
      files.add(prefix + "/" + relative + SshConnector.UPLOAD_SUFFIX);
      String[] parts = relative.split("/");
      StringBuilder dir = new StringBuilder(prefix);
      for (int i = 0; i < parts.length - 1; i++) {
        dir.append('/').append(parts[i]);
        directories.add(dir.toString());
      }
    }
    Optional<String> unit = Optional.empty();
    switch (install.agentMode()) {
      case "systemd" -> unit = Optional.of(RemoteAgentStarter.unitPath(layout));
      case "pid-file" -> {
        files.add(layout.agentPidFile());
        files.add(layout.agentLog());
        // Emptied by the agent's own files only; rmdir leaves them if anything else is there.
        for (String dir : List.of(layout.runDir(), layout.logDir())) {
          if (unsafeDirectory(dir).isEmpty()) {
            directories.add(dir);
          }
        }
      }
      default -> {} // Started otherwise (tests): no agent files of ours on the node.
    }
    List<String> deepestFirst =
        directories.stream()
            .sorted(Comparator.comparingLong(NodeUninstall::depth).reversed())
            .toList();
    List<String> withPrefix = new ArrayList<>(deepestFirst);
    withPrefix.add(prefix);
    return new NodeUninstall(prefix, List.copyOf(files), withPrefix, unit);
  }

  /** Why {@code dir} must not be deleted from, if it must not. */
  static Optional<String> unsafeDirectory(String dir) {
    if (!dir.startsWith("/") || dir.equals("/")) {
      return Optional.of("is the root directory or not absolute");
    }
    String[] parts = dir.substring(1).split("/", -1);
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return Optional.of("is not a normalized path (no //, . or .., no trailing /)");
      }
    }
    if (parts.length < 2) {
      return Optional.of("is a top-level directory (a prefix is one below it, like /opt/lain)");
    }
    if (SYSTEM_DIRECTORIES.contains(dir)) {
      return Optional.of("is a system directory");
    }
    return Optional.empty();
  }

  private static boolean isPlainRelative(String relative) {
    if (relative.isEmpty() || relative.startsWith("/")) {
      return false;
    }
    for (String part : relative.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static String relativeTo(String prefix, String path) {
    return path.startsWith(prefix + "/") ? path.substring(prefix.length() + 1) : path;
  }

  private static long depth(String path) {
    return path.chars().filter(c -> c == '/').count();
  }

  private static RemoteException refused(NodeInstall install, String why) {
    return new RemoteException(
        RemoteException.Code.REFUSED,
        "will not delete the files of node "
            + install.name()
            + ": "
            + why
            + " (install record "
            + NodeInstalls.PREFIX
            + install.name()
            + "); nothing was deleted");
  }

  /** The node-side script: rm and rmdir only; prints what is left of the prefix. */
  String script() {
    StringBuilder s = new StringBuilder("rc=0\n");
    for (String file : files) {
      s.append("rm -f -- ").append(quote(file)).append(" || rc=1\n");
    }
    unit.ifPresent(
        u ->
            s.append("if [ -e ")
                .append(quote(u))
                .append(" ]; then rm -f -- ")
                .append(quote(u))
                .append(" && systemctl daemon-reload || rc=1; fi\n"));
    for (String dir : directories) {
      // Fails, as it should, on a directory holding anything node add did not install.
      s.append("rmdir -- ").append(quote(dir)).append(" 2>/dev/null || true\n");
    }
    s.append("if [ -e ").append(quote(prefix)).append(" ]; then echo kept; fi\n");
    s.append("exit $rc\n");
    return s.toString();
  }

  /**
   * Deletes the files on the node.
   *
   * @return what happened, for the progress line
   * @throws RemoteException {@code STEP_FAILED} when a file could not be deleted
   */
  public String run(RemoteShell node) {
    RemoteShell.Result result = node.exec("sh -s", script().getBytes(StandardCharsets.UTF_8));
    if (!result.ok()) {
      throw new RemoteException(
          RemoteException.Code.STEP_FAILED,
          "cannot delete every file node add installed under " + prefix + ": " + result.tail());
    }
    return result.out().contains("kept")
        ? "done; " + prefix + " stays: it holds files node add did not install"
        : "done; " + prefix + " is gone";
  }
}
