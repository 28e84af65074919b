package dev.lain.model.deploy;

import java.util.Map;
import java.util.Objects;

/**
 * A node as its agent registers it.
 *
 * @param ip the node IP instances publish their ports on
 * @param capacity what instances may reserve in total
 * @param labels scheduling labels ({@code group=default} unless the operator says otherwise)
 */
public record NodeInfo(
    String name, String ip, int sshPort, Resources capacity, Map<String, String> labels) {
  public NodeInfo {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9._-]*")) {
      throw new IllegalArgumentException("bad node name: " + name);
    }
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(capacity, "capacity");
    labels = Map.copyOf(labels);
  }

  /** LAIN's key for a node: {@code <name>:<ip>:<ssh port>}. */
  public String key() {
    return name + ":" + ip + ":" + sshPort;
  }
}
