package dev.lain.model.node;

import java.util.Objects;

/**
 * Where LAIN lives on a node.
 *
 * @param prefix the installed distribution ({@code -p PATH}): {@code bin/}, {@code scripts/lib/},
 *     {@code tools/lain-dist/target/lain.jar} (where the launchers look for it), {@code etc/}
 * @param runDir pid files of daemons not run by systemd
 * @param logDir their logs
 * @param dataRoot the agent's {@code --data-root} (instance volumes)
 * @param unitDir where systemd units go
 */
public record NodeLayout(
    String prefix, String runDir, String logDir, String dataRoot, String unitDir) {
  /** Where the launchers look for the lain jar, below a checkout's or an install's root. */
  public static final String JAR = "tools/lain-dist/target/lain.jar";

  public NodeLayout {
    for (String path : new String[] {prefix, runDir, logDir, dataRoot, unitDir}) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("node paths must be absolute, not '" + path + "'");
      }
    }
  }

  /** The production layout with the distribution under {@code prefix}. */
  public static NodeLayout standard(String prefix) {
    return new NodeLayout(
        prefix, "/run/lain", "/var/log/lain", "/var/lib/lain", "/etc/systemd/system");
  }

  public String jar() {
    return prefix + "/" + JAR;
  }

  public String agentScript() {
    return prefix + "/etc/lain-node-agent";
  }

  public String joinTokenFile() {
    return prefix + "/etc/join-token";
  }

  public String agentPidFile() {
    return runDir + "/lain-agent.pid";
  }

  public String agentLog() {
    return logDir + "/agent.log";
  }
}
