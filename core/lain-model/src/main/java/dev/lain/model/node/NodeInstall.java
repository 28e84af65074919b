package dev.lain.model.node;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code node add} installed on a node, kept in the store ({@code
 * /lain/cluster/node_installs/<name>}, lain-records' {@code NodeInstalls}) so that {@code node
 * remove} stops the agent the way it was started, from any manager.
 *
 * @param agentMode how the agent was started ({@code systemd}, {@code pid-file}, ...)
 * @param files the distribution's files as copied, relative to {@link NodeLayout#prefix()}: what
 *     {@code node remove} deletes there (with the start script and the join token file)
 */
public record NodeInstall(
    String name,
    String ip,
    int sshPort,
    String sshUser,
    NodeLayout layout,
    String agentMode,
    Optional<String> dockerDevice,
    Map<String, String> labels,
    List<String> agentArgs,
    String storeUrl,
    List<String> files) {
  public NodeInstall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(sshUser, "sshUser");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(agentMode, "agentMode");
    Objects.requireNonNull(dockerDevice, "dockerDevice");
    labels = Map.copyOf(labels);
    agentArgs = List.copyOf(agentArgs);
    Objects.requireNonNull(storeUrl, "storeUrl");
    // Records written before node add kept its file list have none: nothing of the distribution
    // is then deleted.
    files = files == null ? List.of() : List.copyOf(files);
  }
}
