package dev.lain.model.deploy;

import java.util.Map;
import java.util.Objects;

/**
 * A node as its agent registers it.
 *
 * @param ip the node IP instances publish their ports on
 * @param capacity what instances may reserve in total
 * @param labels scheduling labels ({@code group=default} unless the operator says otherwise)
 * @param agentPort the port of the agent's API on {@code ip} (container logs); {@link
 *     #NO_AGENT_API} when the agent serves none, as agents registered before it existed
 */
public record NodeInfo(
    String name,
    String ip,
    int sshPort,
    Resources capacity,
    Map<String, String> labels,
    int agentPort) {

  /** {@link #agentPort} of a node whose agent serves no API. */
  public static final int NO_AGENT_API = 0;

  public NodeInfo {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9._-]*")) {
      throw new IllegalArgumentException("bad node name: " + name);
    }
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(capacity, "capacity");
    labels = Map.copyOf(labels);
    if (agentPort < 0 || agentPort > 65535) {
      throw new IllegalArgumentException("bad agent port: " + agentPort);
    }
  }

  /** A node whose agent serves no API. */
  public NodeInfo(
      String name, String ip, int sshPort, Resources capacity, Map<String, String> labels) {
    this(name, ip, sshPort, capacity, labels, NO_AGENT_API);
  }

  /** LAIN's key for a node: {@code <name>:<ip>:<ssh port>}. */
  public String key() {
    return name + ":" + ip + ":" + sshPort;
  }

  /** Whether the agent advertises an API, at {@code ip:agentPort}. */
  public boolean hasAgentApi() {
    return agentPort != NO_AGENT_API;
  }

  public NodeInfo withAgentPort(int port) {
    return new NodeInfo(name, ip, sshPort, capacity, labels, port);
  }

  public NodeInfo withLabels(Map<String, String> value) {
    return new NodeInfo(name, ip, sshPort, capacity, value, agentPort);
  }
}
