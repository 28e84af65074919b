package dev.lain.daemon;

import com.sun.management.OperatingSystemMXBean;
import dev.lain.agent.AgentApi;
import dev.lain.agent.AgentConfig;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.Resources;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of a node agent ({@code laind agent}, {@code laind all}). */
final class AgentOptions {
  @Option(names = "--node-name", description = "This node's name (default: the host name).")
  String nodeName;

  @Option(
      names = "--node-ip",
      required = true,
      description = "The IP instances publish their ports on.")
  String nodeIp;

  @Option(
      names = "--ssh-port",
      description = "For LAIN's node key <name>:<ip>:<ssh port> (default ${DEFAULT-VALUE}).")
  int sshPort = 22;

  @Option(
      names = "--memory",
      description = "Memory instances may reserve (default: 80%% of this machine's).")
  String memory;

  @Option(names = "--cpus", description = "CPU cores instances may reserve (default: all).")
  Integer cpus;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "A node label (repeatable); group=default unless a group is given.")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--data-root",
      description = "Where instance volumes live (default ${DEFAULT-VALUE}).")
  Path dataRoot = Path.of("/var/lib/lain");

  @Option(
      names = "--docker",
      description = "The Docker engine (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
  String docker;

  @Option(
      names = "--port-range",
      description = "Host ports for instances (default ${DEFAULT-VALUE}).")
  String portRange = "20000-29999";

  @Option(
      names = "--heartbeat-ttl",
      description = "Heartbeat lease TTL (default ${DEFAULT-VALUE}).")
  String heartbeatTtl = "10s";

  @Option(
      names = "--agent-port",
      paramLabel = "PORT",
      description =
          "The port of the agent API (container logs for the console) on the node IP; 0: any free"
              + " port. The port in use is registered with the node (default ${DEFAULT-VALUE}).")
  int agentPort = AgentApi.DEFAULT_PORT;

  @Option(
      names = "--no-host-network",
      description =
          "Leave this machine's routes and iptables alone. By default the agent keeps its side of"
              + " the container network: routes to the other nodes' blocks, the tunnel with --ipip,"
              + " the firewall that closes the platform's ports to app containers, nat-outgoing.")
  boolean leaveHostNetwork;

  @Option(
      names = "--join-token-file",
      paramLabel = "FILE",
      description =
          "A one-time join token (from lainctl node add) to redeem before registering; the file is"
              + " deleted once read. A missing, spent, expired or foreign token stops the agent.")
  Path joinTokenFile;

  String dockerHost(LaindCommand laind) {
    if (docker != null) {
      return docker;
    }
    String env = laind.env("DOCKER_HOST");
    return env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock";
  }

  AgentConfig config() {
    Map<String, String> labelMap = new LinkedHashMap<>();
    for (String label : labels) {
      int eq = label.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--label must be KEY=VALUE, not '" + label + "'");
      }
      labelMap.put(label.substring(0, eq), label.substring(eq + 1));
    }
    labelMap.putIfAbsent("group", "default");
    long memoryBytes = memory != null ? Units.bytes(memory) : physicalMemory() * 8 / 10;
    long cpuMillis = (cpus != null ? cpus : Runtime.getRuntime().availableProcessors()) * 1000L;
    NodeInfo node =
        new NodeInfo(name(), nodeIp, sshPort, new Resources(memoryBytes, cpuMillis), labelMap);
    String[] range = portRange.split("-");
    if (range.length != 2) {
      throw new IllegalArgumentException(
          "--port-range must be FIRST-LAST, not '" + portRange + "'");
    }
    if (agentPort < 0 || agentPort > 65535) {
      throw new IllegalArgumentException("--agent-port must be 0..65535, not " + agentPort);
    }
    AgentConfig defaults = AgentConfig.defaults(node, dataRoot);
    return defaults
        .withPorts(Integer.parseInt(range[0]), Integer.parseInt(range[1]))
        .withApiPort(agentPort)
        .withTimings(
            Units.duration(heartbeatTtl),
            defaults.resync(),
            defaults.restartBackoff(),
            defaults.maxRestartBackoff());
  }

  /** The agent's settings as {@code laind agent --print-config} shows them, one per line. */
  String describe(LaindCommand laind) {
    AgentConfig config = config();
    NodeInfo node = config.node();
    return String.join(
        "\n",
        "node: " + node.key(),
        "node-ip: " + node.ip(),
        "agent-port: "
            + config.apiPort()
            + (config.apiPort() == 0
                ? "  (any free port on " + node.ip() + ")"
                : "  (API on " + node.ip() + ":" + config.apiPort() + ")"),
        "docker: " + dockerHost(laind),
        "port-range: " + config.firstHostPort() + "-" + config.lastHostPort(),
        "data-root: " + config.dataRoot(),
        "host-network: " + (leaveHostNetwork ? "left alone" : "kept by the agent"),
        "heartbeat-ttl: " + config.heartbeatTtl().toSeconds() + "s",
        "capacity: memory "
            + node.capacity().memoryBytes()
            + " bytes, cpu "
            + node.capacity().cpuMillis()
            + "m",
        "labels: " + node.labels(),
        "join-token-file: " + (joinTokenFile == null ? "none" : joinTokenFile));
  }

  private String name() {
    if (nodeName != null) {
      return nodeName;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot tell this host's name: pass --node-name");
    }
  }

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 1L << 30;
  }
}
