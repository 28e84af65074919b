package dev.lain.cli.lainctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lain.api.deployd.NodeSummary;
import dev.lain.cli.ExitCode;
import dev.lain.cli.OutputOption;
import dev.lain.cli.Table;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.node.NodeLayout;
import dev.lain.nodeinstall.BootstrapStorageStep;
import dev.lain.nodeinstall.ClusterKey;
import dev.lain.nodeinstall.ClusterNodes;
import dev.lain.nodeinstall.Distribution;
import dev.lain.nodeinstall.NodeAddress;
import dev.lain.nodeinstall.NodeJoin;
import dev.lain.nodeinstall.NodeRemove;
import dev.lain.nodeinstall.RemoteException;
import dev.lain.nodeinstall.SshConnector;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.PodGroups;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.records.nodes.NodeInstalls;
import dev.lain.store.Store;
import java.io.Console;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lainctl node ...}: the cluster's nodes, read and changed in the store through deployd's
 * own operations; {@code add} and {@code remove} reach the nodes over SSH (lain-node-install).
 */
@Command(
    name = "node",
    description = "List, inspect, maintain, drain, label, add and remove the cluster's nodes.",
    subcommands = {
      NodeCommand.ListNodes.class,
      NodeCommand.Inspect.class,
      NodeCommand.Maintain.class,
      NodeCommand.Drain.class,
      NodeCommand.Health.class,
      NodeCommand.ChangeLabels.class,
      NodeCommand.Add.class,
      NodeCommand.Remove.class
    })
final class NodeCommand extends LainctlGroup {

  /** How long a health check waits for an agent's API. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  int withStore(Function<Store, Integer> action) {
    return lainctl.withStore(action);
  }

  static List<NodeSummary> nodes(Store store) {
    return PodGroups.read(() -> new DeploydState(store).snapshot().nodeSummaries());
  }

  static String json(Object value) {
    try {
      return DeploydJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String labels(Map<String, String> labels) {
    return labels.isEmpty()
        ? "-"
        : new TreeMap<>(labels)
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
  }

  @Command(name = "list", description = "Every node: IP, SSH port, labels, mode, alive, instances.")
  static final class ListNodes implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Mixin OutputOption output = new OutputOption();

    @Override
    public Integer call() {
      return node.withStore(
          store -> {
            List<NodeSummary> nodes = nodes(store);
            PrintWriter out = node.lainctl.context.out();
            if (output.isJson()) {
              out.println(json(nodes));
              return ExitCode.OK;
            }
            if (nodes.isEmpty()) {
              out.println("No node is registered. A node's agent registers it (laind agent).");
              return ExitCode.OK;
            }
            Table table =
                new Table("NAME", "IP", "SSH PORT", "LABELS", "MODE", "ALIVE", "INSTANCES");
            for (NodeSummary n : nodes) {
              table.row(
                  n.name(),
                  n.ip(),
                  Integer.toString(n.sshPort()),
                  labels(n.labels()),
                  n.mode().name().toLowerCase(java.util.Locale.ROOT),
                  n.alive() ? "yes" : "no",
                  Integer.toString(n.instances()));
            }
            table.print(out);
            return ExitCode.OK;
          });
    }
  }

  @Command(
      name = "inspect",
      description = "Everything known about a node (by name or IP), as JSON.")
  static final class Inspect implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Parameters(paramLabel = "NODE")
    String name;

    @Override
    public Integer call() {
      return node.withStore(
          store -> {
            DeploydState state = new DeploydState(store);
            NodeInfo info = ClusterNodes.find(state, name);
            NodeSummary summary =
                nodes(store).stream()
                    .filter(s -> s.name().equals(info.name()))
                    .findFirst()
                    .orElseThrow();
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("name", info.name());
            all.put("ip", info.ip());
            all.put("ssh_port", info.sshPort());
            all.put("key", info.key());
            all.put("labels", new TreeMap<>(info.labels()));
            all.put("mode", summary.mode());
            all.put("alive", summary.alive());
            all.put("agent_port", info.agentPort());
            all.put("capacity", info.capacity());
            all.put("allocated", summary.allocated());
            all.put(
                "assignments",
                state.assignmentsOf(info.name()).stream()
                    .map(a -> a.id().containerName())
                    .sorted()
                    .toList());
            all.put("instances", state.instancesOf(info.name()));
            NodeInstalls.load(store, info.name()).ifPresent(i -> all.put("install", i));
            node.lainctl.context.out().println(json(all));
            return ExitCode.OK;
          });
    }
  }

  /** Sets a node's mode through deployd's own operation, after finding the node by name or IP. */
  int setMode(String name, NodeMode mode, String done) {
    return withStore(
        store -> {
          NodeInfo info = ClusterNodes.find(new DeploydState(store), name);
          new PodGroups(new DeploydState(store)).setNodeMode(info.name(), mode);
          lainctl.context.out().println("node " + info.name() + ": " + done);
          return ExitCode.OK;
        });
  }

  @Command(
      name = "maintain",
      description = {
        "Maintenance: no new instances are placed on the node; those running stay.",
        "-r ends it (the node is active again)."
      })
  static final class Maintain implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Parameters(paramLabel = "NODE")
    String name;

    @Option(names = "-r", description = "End maintenance.")
    boolean remove;

    @Override
    public Integer call() {
      return remove
          ? node.setMode(name, NodeMode.ACTIVE, "active")
          : node.setMode(name, NodeMode.MAINTENANCE, "in maintenance (no new instances)");
    }
  }

  @Command(
      name = "drain",
      description = {
        "Drain: the engine moves the node's instances to other nodes and places no new ones.",
        "lainctl node maintain NODE -r makes it active again."
      })
  static final class Drain implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Parameters(paramLabel = "NODE")
    String name;

    @Override
    public Integer call() {
      return node.setMode(name, NodeMode.DRAINING, "draining (its instances move to other nodes)");
    }
  }

  @Command(
      name = "health",
      description = {
        "Each node: its heartbeat (live while the agent keeps its lease), whether its agent API",
        "answers, and its Docker engine as the agent reports it (ok with its version,",
        "unreachable, or agent unreachable). Exits 1 when a node is unhealthy."
      })
  static final class Health implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Override
    public Integer call() {
      return node.withStore(
          store -> {
            PrintWriter out = node.lainctl.context.out();
            Map<String, NodeInfo> nodes = new TreeMap<>(new DeploydState(store).nodes());
            if (nodes.isEmpty()) {
              out.println("No node is registered.");
              return ExitCode.FAILED;
            }
            boolean healthy = true;
            Table table = new Table("NODE", "HEARTBEAT", "AGENT API", "DOCKER");
            for (NodeInfo n : nodes.values()) {
              ClusterNodes.AgentProbe probe = ClusterNodes.probe(store, n, PROBE_TIMEOUT);
              healthy &= probe.healthy();
              table.row(
                  n.name(),
                  probe.alive() ? "live" : "missing (lease expired)",
                  probe.apiReachable().map(ok -> ok ? "reachable" : "unreachable").orElse("none")
                      + " ("
                      + probe.detail()
                      + ")",
                  probe.docker());
            }
            table.print(out);
            return healthy ? ExitCode.OK : ExitCode.FAILED;
          });
    }
  }

  @Command(
      name = "change-labels",
      description = {
        "Add or delete scheduling labels of nodes (in their registration; the scheduler uses",
        "them at once, and a restarted agent keeps them)."
      })
  static final class ChangeLabels implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Option(
        names = {"-c", "--change"},
        required = true,
        paramLabel = "add|delete")
    String change;

    @Option(
        names = {"-l", "--label"},
        required = true,
        paramLabel = "KEY=VALUE",
        description = "A label (repeatable); for delete, KEY alone also works.")
    List<String> labels = new ArrayList<>();

    @Parameters(paramLabel = "NODE", arity = "1..*")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter err = node.lainctl.context.err();
      if (!change.equals("add") && !change.equals("delete")) {
        err.println("error: -c must be add or delete, not " + change);
        return ExitCode.USAGE;
      }
      Map<String, String> parsed = new LinkedHashMap<>();
      for (String label : labels) {
        int eq = label.indexOf('=');
        if (eq == 0 || (eq < 0 && change.equals("add"))) {
          err.println("error: a label is KEY=VALUE, not '" + label + "'");
          return ExitCode.USAGE;
        }
        parsed.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
      }
      return node.withStore(
          store -> {
            DeploydState state = new DeploydState(store);
            List<NodeInfo> targets = names.stream().map(n -> ClusterNodes.find(state, n)).toList();
            for (NodeInfo n : targets) {
              Map<String, String> next = new TreeMap<>(n.labels());
              if (change.equals("add")) {
                next.putAll(parsed);
              } else {
                next.keySet().removeAll(parsed.keySet());
              }
              state.registerNode(
                  new NodeInfo(n.name(), n.ip(), n.sshPort(), n.capacity(), next, n.agentPort()));
              node.lainctl.context.out().println("node " + n.name() + ": labels " + labels(next));
            }
            return ExitCode.OK;
          });
    }
  }

  /** The SSH options {@code add} and {@code remove} share. */
  static final class SshOptions {
    @Option(
        names = "--key",
        paramLabel = "FILE",
        description =
            "The cluster's SSH key, created if missing (default ${DEFAULT-VALUE}; its"
                + " known_hosts beside it).")
    Path key = ClusterKey.DEFAULT_FILE;

    @Option(names = "--user", description = "The SSH user (default ${DEFAULT-VALUE}).")
    String user = "root";

    @Option(
        names = "--ssh-timeout",
        paramLabel = "SECONDS",
        description = "Connect and authentication timeout (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 10;

    SshConnector connector() {
      return new SshConnector(
          ClusterKey.loadOrCreate(key), user, Duration.ofSeconds(timeoutSeconds));
    }
  }

  @Command(
      name = "add",
      description = {
        "Make machines nodes of the cluster over SSH: copy the distribution to PATH, check the",
        "machine, set up its Docker (daemon.json trusting the cluster's registry; LVM + xfs +",
        "overlay2 on --docker-device), start laind agent with a one-time",
        "join token, and wait until the node registers. A node that refuses the cluster key is",
        "asked its password once (on a terminal) to install the key. A failing step is undone."
      })
  static final class Add implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Option(
        names = {"-p", "--prefix"},
        paramLabel = "PATH",
        description = "Where LAIN is installed on the node (default ${DEFAULT-VALUE}).")
    String prefix = "/opt/lain";

    @Option(
        names = {"-P", "--ssh-port"},
        paramLabel = "SSH_PORT",
        description = "(default ${DEFAULT-VALUE})")
    int sshPort = 22;

    @Option(
        names = {"-l", "--label"},
        paramLabel = "KEY=VALUE",
        description = "A node label (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(
        names = {"-d", "--docker-device"},
        paramLabel = "DEV",
        description =
            "A block device for Docker's storage, prepared on the node by its"
                + " bootstrap (--storage-only): LVM + xfs + overlay2.")
    String dockerDevice;

    @Option(
        names = "--force-device",
        description =
            "Wipe a --docker-device that carries a filesystem, partition table or LVM signature"
                + " (everything on it is lost).")
    boolean forceDevice;

    @Option(
        names = "--agent-mode",
        description = "auto (systemd where the node runs it), systemd or pid-file.")
    String agentMode = "auto";

    @Option(
        names = "--agent-arg",
        paramLabel = "ARG",
        description = "A further laind agent argument (repeatable), e.g. --agent-arg=--docker=...")
    List<String> agentArgs = new ArrayList<>();

    @Option(
        names = "--node-store",
        paramLabel = "URL",
        description = "The store URL as the node's agent reaches it (default: this command's).")
    String nodeStore;

    @Option(
        names = "--dist",
        paramLabel = "DIR",
        description =
            "The distribution to copy (bin/, scripts/lib/, tools/lain-dist/target/lain.jar).")
    Path dist;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description = "How long to wait for the node to register (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 120;

    @Mixin SshOptions ssh = new SshOptions();

    @Parameters(paramLabel = "NAME:IP", arity = "1..*")
    List<String> nodes = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = node.lainctl.context.out();
      return node.withStore(
          store -> {
            List<NodeAddress> addresses = nodes.stream().map(NodeAddress::parse).toList();
            Map<String, String> labelMap = new LinkedHashMap<>();
            for (String label : labels) {
              int eq = label.indexOf('=');
              if (eq <= 0) {
                throw new RemoteException(
                    RemoteException.Code.INVALID, "a label is KEY=VALUE, not '" + label + "'");
              }
              labelMap.put(label.substring(0, eq), label.substring(eq + 1));
            }
            BootstrapStorageStep.Options storage = storageOptions(store);
            Distribution distribution =
                dist == null
                    ? Distribution.ofRunningJar()
                    : Distribution.of(dist, dist.resolve(NodeLayout.JAR));
            NodeJoin.Request request =
                new NodeJoin.Request(
                    addresses,
                    sshPort,
                    ssh.user,
                    NodeLayout.standard(prefix),
                    labelMap,
                    Optional.ofNullable(dockerDevice),
                    nodeStore != null ? nodeStore : node.lainctl.storeUrl(),
                    agentMode,
                    agentArgs,
                    true,
                    Duration.ofSeconds(timeoutSeconds),
                    Duration.ofSeconds(Math.max(60, timeoutSeconds * 2L)));
            Consumer<String> progress =
                line -> {
                  out.println(line);
                  out.flush();
                };
            try (SshConnector connector = ssh.connector()) {
              new NodeJoin(
                      store,
                      connector,
                      distribution,
                      BootstrapStorageStep.steps(NodeLayout.standard(prefix), storage, progress),
                      NodeJoin.remoteStarters(),
                      NodeCommand::askPassword,
                      progress,
                      InstantSource.system(),
                      NodeJoin.Sleeper.SYSTEM)
                  .add(request);
            }
            return ExitCode.OK;
          });
    }

    /**
     * What the node's bootstrap needs from the cluster: its domain (daemon.json trusts {@code
     * registry.<domain>}) and registry mirror, as {@code lainctl config} shows them, and the
     * container pool the node's own networks must not overlap.
     */
    BootstrapStorageStep.Options storageOptions(Store store) {
      if (forceDevice && dockerDevice == null) {
        throw new RemoteException(
            RemoteException.Code.INVALID,
            "--force-device only applies to --docker-device, which is not given");
      }
      ClusterConfigStore config = new ClusterConfigStore(store);
      String domain = config.get(ConfigKey.DOMAIN).effective();
      String mirror = config.get(ConfigKey.REGISTRY_MIRROR).effective();
      String network = config.get(ConfigKey.NODE_NETWORK).effective();
      return new BootstrapStorageStep.Options(
          domain.isEmpty() ? Optional.empty() : Optional.of(domain),
          mirror.isEmpty() ? Optional.empty() : Optional.of(mirror),
          network.isEmpty() ? Optional.empty() : Optional.of(network),
          new ContainerNetworks(store).settings().map(n -> n.pool().network().toString()),
          forceDevice,
          agentMode.equals("pid-file"));
    }
  }

  /** The node's password from the terminal, when there is one; never echoed, never kept. */
  static Optional<char[]> askPassword(NodeAddress address) {
    Console console = System.console();
    if (console == null) {
      return Optional.empty();
    }
    char[] password =
        console.readPassword(
            "node %s refuses the cluster key; its password (once, to install the key): ", address);
    return password == null || password.length == 0 ? Optional.empty() : Optional.of(password);
  }

  @Command(
      name = "remove",
      description = {
        "Take a node out of the cluster: drain it (its instances move to other nodes), stop its",
        "agent over SSH, unregister it. Refuses the last node and nodes that run the store."
      })
  static final class Remove implements Callable<Integer> {
    @ParentCommand NodeCommand node;

    @Parameters(paramLabel = "NODE")
    String name;

    @Option(
        names = "--drain-timeout",
        paramLabel = "SECONDS",
        description = "How long to wait for the instances to leave (default ${DEFAULT-VALUE}).")
    int drainSeconds = 300;

    @Mixin SshOptions ssh = new SshOptions();

    @Override
    public Integer call() {
      PrintWriter out = node.lainctl.context.out();
      return node.withStore(
          store -> {
            Set<String> storeNodes =
                store.backend().startsWith("embedded") ? localAddresses() : Set.of();
            try (SshConnector connector = ssh.connector()) {
              new NodeRemove(
                      store,
                      Optional.of(connector),
                      NodeRemove.remoteStarters(),
                      line -> {
                        out.println(line);
                        out.flush();
                      },
                      InstantSource.system(),
                      NodeJoin.Sleeper.SYSTEM)
                  .remove(
                      new NodeRemove.Request(name, storeNodes, Duration.ofSeconds(drainSeconds)));
            }
            return ExitCode.OK;
          });
    }
  }

  /** This machine's addresses: with the embedded store, the node at one of them runs the store. */
  static Set<String> localAddresses() {
    Set<String> addresses = new java.util.HashSet<>();
    try {
      for (NetworkInterface nic :
          java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
          String text = a.getHostAddress();
          int zone = text.indexOf('%');
          addresses.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (SocketException e) {
      // No interfaces to read: nothing is refused for being local.
    }
    return addresses;
  }
}
