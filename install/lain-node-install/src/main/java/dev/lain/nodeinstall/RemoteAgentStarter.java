package dev.lain.nodeinstall;

import static dev.lain.nodeinstall.RemoteShell.quote;

import dev.lain.model.node.NodeLayout;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Runs the agent's start script on the node: as the systemd unit {@code lain-agent.service} where
 * systemd runs the node, else in the background with a pid file and a log file, as {@code
 * ./bootstrap} does.
 */
public final class RemoteAgentStarter implements AgentStarter {
  /** How the agent runs on the node. */
  public enum Mode {
    SYSTEMD,
    PID_FILE;

    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Mode of(String word) {
      for (Mode m : values()) {
        if (m.word().equals(word)) {
          return m;
        }
      }
      throw new RemoteException(
          RemoteException.Code.INVALID, "unknown agent mode '" + word + "': systemd or pid-file");
    }
  }

  static final String UNIT = "lain-agent.service";

  private final Mode mode;

  public RemoteAgentStarter(Mode mode) {
    this.mode = mode;
  }

  /** Systemd where the node runs it ({@code /run/systemd/system} exists), else a pid file. */
  public static RemoteAgentStarter detect(RemoteShell node) {
    boolean systemd =
        node.exec("[ -d /run/systemd/system ] && command -v systemctl >/dev/null").ok();
    return new RemoteAgentStarter(systemd ? Mode.SYSTEMD : Mode.PID_FILE);
  }

  @Override
  public String kind() {
    return mode.word();
  }

  @Override
  public void start(RemoteShell node, AgentLaunch launch) {
    NodeLayout layout = launch.layout();
    node.write(launch.script().getBytes(StandardCharsets.UTF_8), layout.agentScript(), "700");
    launch
        .token()
        .ifPresent(
            t ->
                node.write(
                    t.text().getBytes(StandardCharsets.US_ASCII), layout.joinTokenFile(), "600"));
    RemoteShell.Result result =
        switch (mode) {
          case SYSTEMD -> {
            node.write(unit(launch).getBytes(StandardCharsets.UTF_8), unitPath(layout), "644");
            yield node.exec("systemctl daemon-reload && systemctl enable --now " + UNIT);
          }
          case PID_FILE ->
              node.exec(
                  "mkdir -p "
                      + quote(layout.runDir())
                      + " "
                      + quote(layout.logDir())
                      + " && { [ ! -f "
                      + quote(layout.agentPidFile())
                      + " ] || ! "
                      + ours("\"$(cat " + quote(layout.agentPidFile()) + ")\"")
                      + " || { echo 'an agent runs already' >&2; exit 1; }; } || exit 1;"
                      // setsid + nohup: the agent outlives the SSH session that started it. Only
                      // this command goes to the background, so $! is the agent's pid.
                      + " "
                      + MARKER
                      + " setsid nohup "
                      + quote(layout.agentScript())
                      + " >> "
                      + quote(layout.agentLog())
                      + " 2>&1 < /dev/null & echo $! > "
                      + quote(layout.agentPidFile()));
        };
    if (!result.ok()) {
      throw new RemoteException(
          RemoteException.Code.STEP_FAILED,
          "cannot start the agent of node "
              + launch.node()
              + " ("
              + kind()
              + "): "
              + result.tail());
    }
  }

  @Override
  public void stop(RemoteShell node, AgentLaunch launch) {
    NodeLayout layout = launch.layout();
    String pid = quote(layout.agentPidFile());
    RemoteShell.Result result =
        switch (mode) {
          case SYSTEMD ->
              node.exec(
                  "systemctl disable --now "
                      + UNIT
                      + " 2>/dev/null; rm -f "
                      + quote(unitPath(layout))
                      + " && systemctl daemon-reload");
          case PID_FILE ->
              node.exec(
                  "if [ -f "
                      + pid
                      + " ]; then p=$(cat "
                      + pid
                      + "); if "
                      + ours("\"$p\"")
                      + "; then kill \"$p\" 2>/dev/null || true; i=0;"
                      + " while kill -0 \"$p\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done;"
                      + " kill -9 \"$p\" 2>/dev/null || true; fi; rm -f "
                      + pid
                      + "; fi");
        };
    node.exec("rm -f " + quote(layout.joinTokenFile()));
    if (!result.ok()) {
      throw new RemoteException(
          RemoteException.Code.STEP_FAILED,
          "cannot stop the agent of node " + launch.node() + " (" + kind() + "): " + result.tail());
    }
  }

  /**
   * The environment the agent is started with behind a pid file. The pid file outlives the agent (a
   * crash, a /run that survives a reboot), and its number may by then be any process's.
   */
  private static final String MARKER = "LAIN_SERVICE=lain-agent";

  /** A shell test: whether {@code pid} (shell text) is an agent started by this class. */
  private static String ours(String pid) {
    return "grep -qz '^" + MARKER + "$' /proc/" + pid + "/environ 2>/dev/null";
  }

  static String unitPath(NodeLayout layout) {
    return layout.unitDir() + "/" + UNIT;
  }

  private static String unit(AgentLaunch launch) {
    return "[Unit]\n"
        + "Description=LAIN node agent ("
        + launch.node().name()
        + ")\n"
        + "After=network-online.target docker.service\n\n"
        + "[Service]\n"
        + "ExecStart="
        + launch.layout().agentScript()
        + "\n"
        + "Restart=always\nRestartSec=2\n\n"
        + "[Install]\nWantedBy=multi-user.target\n";
  }
}
