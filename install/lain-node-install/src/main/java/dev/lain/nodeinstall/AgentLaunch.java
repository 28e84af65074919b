package dev.lain.nodeinstall;

import dev.lain.model.node.NodeInstall;
import dev.lain.model.node.NodeLayout;
import dev.lain.records.nodes.JoinTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node's agent is to run: {@code laind --store URL agent --node-name NAME --node-ip IP
 * --ssh-port PORT --data-root DIR -l K=V... EXTRA...}, and the join token its first start redeems
 * ({@code --join-token-file}).
 */
public record AgentLaunch(
    NodeAddress node,
    int sshPort,
    NodeLayout layout,
    String storeUrl,
    Map<String, String> labels,
    List<String> extraArgs,
    Optional<JoinTokens.JoinToken> token) {
  public AgentLaunch {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(storeUrl, "storeUrl");
    labels = Map.copyOf(labels);
    extraArgs = List.copyOf(extraArgs);
    Objects.requireNonNull(token, "token");
  }

  /** The agent's command line (after the launcher). */
  public List<String> laindArgs() {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--store", storeUrl, "agent"));
    args.addAll(List.of("--node-name", node.name(), "--node-ip", node.ip()));
    args.addAll(List.of("--ssh-port", Integer.toString(sshPort), "--data-root", layout.dataRoot()));
    labels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> args.addAll(List.of("-l", e.getKey() + "=" + e.getValue())));
    args.addAll(extraArgs);
    return args;
  }

  /**
   * The node-side start script: becomes the agent, passing it the join token file if one is waiting
   * (first start only: the agent deletes the file when it reads it, and redeems the token before it
   * registers). With {@code exec} the agent keeps the script's pid (the pid file stays true).
   */
  public String script() {
    String tokenFile = RemoteShell.quote(layout.joinTokenFile());
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/sh\n");
    s.append("# Written by lainctl node add: starts the agent of node ").append(node.name());
    s.append(
        ".\n# The first start hands the agent the one-time join token; later starts find none.\n");
    s.append("set -e\n");
    s.append("set --\n");
    s.append("if [ -f ").append(tokenFile).append(" ]; then\n");
    s.append("  set -- --join-token-file ").append(tokenFile).append("\n");
    s.append("fi\n");
    s.append("exec ").append(RemoteShell.quote(layout.prefix())).append("/bin/laind");
    for (String arg : laindArgs()) {
      s.append(' ').append(RemoteShell.quote(arg));
    }
    s.append(" \"$@\"\n");
    return s.toString();
  }

  /**
   * The agent's launch as {@code install} recorded it (no token: it was spent on the first start).
   */
  public static AgentLaunch of(NodeInstall install) {
    return new AgentLaunch(
        new NodeAddress(install.name(), install.ip()),
        install.sshPort(),
        install.layout(),
        install.storeUrl(),
        install.labels(),
        install.agentArgs(),
        Optional.empty());
  }
}
