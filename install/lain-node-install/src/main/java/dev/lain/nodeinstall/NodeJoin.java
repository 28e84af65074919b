package dev.lain.nodeinstall;

import static dev.lain.nodeinstall.RemoteShell.quote;

import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.model.node.NodeInstall;
import dev.lain.model.node.NodeLayout;
import dev.lain.records.RecordException;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.records.nodes.JoinTokens;
import dev.lain.records.nodes.NodeInstalls;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code lainctl node add}: makes machines reachable over SSH into nodes of the cluster.
 *
 * <pre>
 *  connect (cluster key; else the password once, to install the key)
 *   └─► copy the distribution ─► preflight ─► docker storage (--docker-device)
 *        └─► join token (store, leased) ─► start the agent (systemd unit | pid file)
 *             └─► wait: node key registered + heartbeat + token redeemed ─► record the install
 * </pre>
 *
 * Each step is reported as it starts and ends. When one fails, what the earlier steps left in the
 * cluster is undone in reverse (the agent stopped, the node key, heartbeat and token removed) and
 * the error names the node and the step; files copied to the node stay (a retry skips them).
 */
public final class NodeJoin {
  /**
   * One {@code node add}.
   *
   * @param nodeStoreUrl the store URL as the node's agent must use it
   * @param agentMode "auto" (systemd where the node runs it), "systemd" or "pid-file"
   * @param agentArgs further {@code laind agent} options ({@code --docker}, {@code --agent-port})
   * @param requireRoot whether the preflight insists on root (LAIN's nodes are run as root)
   */
  public record Request(
      List<NodeAddress> nodes,
      int sshPort,
      String sshUser,
      NodeLayout layout,
      Map<String, String> labels,
      Optional<String> dockerDevice,
      String nodeStoreUrl,
      String agentMode,
      List<String> agentArgs,
      boolean requireRoot,
      Duration registerTimeout,
      Duration tokenTtl) {
    public Request {
      nodes = List.copyOf(nodes);
      if (nodes.isEmpty()) {
        throw new RemoteException(RemoteException.Code.INVALID, "name at least one NAME:IP");
      }
      if (sshPort < 1 || sshPort > 65535) {
        throw new RemoteException(RemoteException.Code.INVALID, "bad SSH port " + sshPort);
      }
      Objects.requireNonNull(sshUser, "sshUser");
      Objects.requireNonNull(layout, "layout");
      labels = Map.copyOf(labels);
      Objects.requireNonNull(dockerDevice, "dockerDevice");
      Objects.requireNonNull(nodeStoreUrl, "nodeStoreUrl");
      Objects.requireNonNull(agentMode, "agentMode");
      agentArgs = List.copyOf(agentArgs);
      Objects.requireNonNull(registerTimeout, "registerTimeout");
      Objects.requireNonNull(tokenTtl, "tokenTtl");
      if (nodes.stream().map(NodeAddress::name).distinct().count() != nodes.size()
          || nodes.stream().map(NodeAddress::ip).distinct().count() != nodes.size()) {
        throw new RemoteException(
            RemoteException.Code.INVALID, "the same node name or IP is given twice: " + nodes);
      }
    }
  }

  /** Asks for a node's password when its SSH server refuses the cluster key. */
  @FunctionalInterface
  public interface PasswordSource {
    /** The password, or empty when there is nobody to ask. The caller wipes the array. */
    Optional<char[]> ask(NodeAddress node);

    PasswordSource NONE = node -> Optional.empty();
  }

  /** Pauses between polls (a fake in tests that need no real waiting). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper SYSTEM = d -> Thread.sleep(d);
  }

  private final Store store;
  private final DeploydState state;
  private final ContainerNetworks networks;
  private final SshConnector ssh;
  private final Distribution distribution;
  private final RemoteStep.DockerSteps dockerSteps;
  private final Function<String, Function<RemoteShell, AgentStarter>> starters;
  private final PasswordSource passwords;
  private final Consumer<String> progress;
  private final InstantSource clock;
  private final Sleeper sleeper;

  /**
   * @param starters the agent starter for a mode word ("auto", "systemd", "pid-file"), given the
   *     node's shell to detect; {@link #remoteStarters()} in production
   * @param progress receives one line per step event
   */
  public NodeJoin(
      Store store,
      SshConnector ssh,
      Distribution distribution,
      RemoteStep.DockerSteps dockerSteps,
      Function<String, Function<RemoteShell, AgentStarter>> starters,
      PasswordSource passwords,
      Consumer<String> progress,
      InstantSource clock,
      Sleeper sleeper) {
    this.store = store;
    this.state = new DeploydState(store);
    this.networks = new ContainerNetworks(store);
    this.ssh = ssh;
    this.distribution = distribution;
    this.dockerSteps = dockerSteps;
    this.starters = starters;
    this.passwords = passwords;
    this.progress = progress;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** The agent runs on the node: systemd or pid file, detected with "auto". */
  public static Function<String, Function<RemoteShell, AgentStarter>> remoteStarters() {
    return mode ->
        mode.equals("auto")
            ? RemoteAgentStarter::detect
            : shell -> new RemoteAgentStarter(RemoteAgentStarter.Mode.of(mode));
  }

  /** Adds every node of the request in turn; stops at the first that fails. */
  public List<NodeInfo> add(Request request) {
    checkNotRegistered(request.nodes());
    checkNetworkRoom(request.nodes());
    return request.nodes().stream().map(node -> addOne(request, node)).toList();
  }

  private void checkNotRegistered(List<NodeAddress> nodes) {
    Map<String, NodeInfo> registered = storeCall(state::nodes);
    for (NodeAddress node : nodes) {
      if (registered.containsKey(node.name())) {
        throw new RemoteException(
            RemoteException.Code.INVALID,
            "node "
                + node.name()
                + " is in the cluster already ("
                + registered.get(node.name()).key()
                + ")");
      }
      for (NodeInfo other : registered.values()) {
        if (other.ip().equals(node.ip())) {
          throw new RemoteException(
              RemoteException.Code.INVALID,
              "IP " + node.ip() + " of " + node + " belongs to node " + other.name() + " already");
        }
      }
    }
  }

  /** An exhausted pool refuses before any node is touched. */
  private void checkNetworkRoom(List<NodeAddress> nodes) {
    Optional<NetworkSettings> settings = storeCall(networks::settings);
    if (settings.isEmpty()) {
      return;
    }
    List<NodeBlock> held = storeCall(networks::blocks);
    long wanted =
        nodes.stream().filter(n -> held.stream().noneMatch(b -> b.node().equals(n.name()))).count();
    long free = settings.get().pool().blocks() - held.size();
    if (wanted > free) {
      throw new RemoteException(
          RemoteException.Code.INVALID,
          "the container network "
              + settings.get()
              + " has "
              + (free <= 0 ? "no free block" : "only " + free + " free block(s)")
              + " for "
              + wanted
              + " new node(s): its "
              + settings.get().pool().blocks()
              + " blocks are held by "
              + String.join(", ", held.stream().map(NodeBlock::node).toList())
              + "; remove a node first (nothing was changed)");
    }
  }

  private NodeInfo addOne(Request request, NodeAddress node) {
    Deque<Runnable> undo = new ArrayDeque<>();
    String[] step = {"connect"};
    try (RemoteShell shell = step(node, step, "connect", () -> connect(node, request.sshPort()))) {
      step(
          node,
          step,
          "copy the distribution to " + request.layout().prefix(),
          () -> {
            int copied = 0;
            for (Distribution.Entry e : distribution.entries()) {
              if (shell.upload(
                  e.local(), request.layout().prefix() + "/" + e.relative(), e.mode())) {
                copied++;
              }
            }
            return copied + " of " + distribution.entries().size() + " files copied";
          });
      step(node, step, "preflight", () -> preflight(shell, request));
      RemoteStep docker = dockerSteps.forNode(request.dockerDevice());
      step(
          node,
          step,
          docker.name(),
          () -> {
            docker.run(shell, node);
            undo.push(() -> docker.undo(shell, node));
            return "done";
          });
      if (storeCall(networks::settings).isPresent()) {
        step(
            node,
            step,
            "take a block of the container network",
            () -> {
              boolean held = networks.blockOf(node.name()).isPresent();
              NodeBlock block = storeCall(() -> networks.assign(node.name(), node.ip()));
              if (!held) {
                undo.push(() -> networks.release(node.name()));
              }
              return block.network() + (held ? " (held already)" : "");
            });
      }
      JoinTokens.JoinToken token =
          step(
              node,
              step,
              "create a join token",
              () -> {
                JoinTokens.JoinToken t =
                    storeCall(() -> JoinTokens.create(store, node.name(), request.tokenTtl()));
                undo.push(() -> JoinTokens.delete(store, t.id()));
                return t;
              });
      AgentStarter starter = starters.apply(request.agentMode()).apply(shell);
      AgentLaunch launch =
          new AgentLaunch(
              node,
              request.sshPort(),
              request.layout(),
              request.nodeStoreUrl(),
              request.labels(),
              request.agentArgs(),
              Optional.of(token));
      step(
          node,
          step,
          "start the agent (" + starter.kind() + ")",
          () -> {
            // Undo first: a start that fails half way may still have left a process. The agent is
            // stopped before its keys go, or it would register again.
            undo.push(() -> ClusterNodes.unregister(store, node.name()));
            undo.push(() -> starter.stop(shell, launch));
            starter.start(shell, launch);
            return "started";
          });
      NodeInfo registered =
          step(
              node,
              step,
              "wait for the node to register and heartbeat",
              () -> awaitRegistration(node, token, request));
      storeCall(
          () -> {
            NodeInstalls.save(
                store,
                new NodeInstall(
                    node.name(),
                    node.ip(),
                    request.sshPort(),
                    request.sshUser(),
                    request.layout(),
                    starter.kind(),
                    request.dockerDevice(),
                    request.labels(),
                    request.agentArgs(),
                    request.nodeStoreUrl(),
                    distribution.entries().stream().map(Distribution.Entry::relative).toList()));
            return null;
          });
      progress.accept("[" + node + "] joined as " + registered.key());
      return registered;
    } catch (RemoteException e) {
      while (!undo.isEmpty()) {
        try {
          undo.pop().run();
        } catch (RuntimeException cleanup) {
          progress.accept("[" + node + "] cleanup: " + cleanup.getMessage());
        }
      }
      throw new RemoteException(
          e.code(), "node add " + node + " failed at step '" + step[0] + "': " + e.getMessage(), e);
    }
  }

  private interface Action<T> {
    T run();
  }

  private <T> T step(NodeAddress node, String[] current, String name, Action<T> action) {
    current[0] = name;
    progress.accept("[" + node + "] " + name + " ...");
    T result;
    try {
      result = action.run();
    } catch (StoreException e) {
      throw new RemoteException(
          RemoteException.Code.STORE, "the cluster store failed: " + e.getMessage(), e);
    }
    progress.accept("[" + node + "] " + name + ": " + (result instanceof String s ? s : "ok"));
    return result;
  }

  private RemoteShell connect(NodeAddress node, int port) {
    try {
      return ssh.connect(node, port);
    } catch (RemoteException refused) {
      if (refused.code() != RemoteException.Code.AUTH_REFUSED) {
        throw refused;
      }
      Optional<char[]> password = passwords.ask(node);
      if (password.isEmpty()) {
        throw new RemoteException(
            RemoteException.Code.AUTH_REFUSED,
            refused.getMessage()
                + "; install the cluster key on it (ssh-copy-id -i "
                + ssh.key().file()
                + ".pub) or run node add on a terminal to give its password once");
      }
      try (RemoteShell withPassword = ssh.connectWithPassword(node, port, password.get())) {
        installKey(withPassword, node);
      } finally {
        java.util.Arrays.fill(password.get(), '\0');
      }
      progress.accept("[" + node + "] installed the cluster key in ~/.ssh/authorized_keys");
      return ssh.connect(node, port);
    }
  }

  /** What ssh-copy-id does: append the key unless it is there, with the modes sshd insists on. */
  private void installKey(RemoteShell shell, NodeAddress node) {
    String line = ssh.key().authorizedKeysLine();
    String command =
        "umask 077 && mkdir -p ~/.ssh && touch ~/.ssh/authorized_keys && chmod 700 ~/.ssh && chmod"
            + " 600 ~/.ssh/authorized_keys && { grep -qxF "
            + quote(line)
            + " ~/.ssh/authorized_keys || cat >> ~/.ssh/authorized_keys; }";
    RemoteShell.Result result =
        shell.exec(command, (line + "\n").getBytes(StandardCharsets.US_ASCII));
    if (!result.ok()) {
      throw new RemoteException(
          RemoteException.Code.STEP_FAILED,
          "cannot install the cluster key on node " + node + ": " + result.tail());
    }
  }

  private String preflight(RemoteShell shell, Request request) {
    String script =
        "set -e\n"
            + (request.requireRoot()
                ? "[ \"$(id -u)\" = 0 ] || { echo \"must log in as root, not uid $(id -u)\" >&2; exit 1; }\n"
                : "")
            + "k=$(uname -r); major=${k%%.*}; rest=${k#*.}; minor=${rest%%.*}\n"
            + "if [ \"$major\" -lt 3 ] || { [ \"$major\" -eq 3 ] && [ \"$minor\" -lt 10 ]; }; then"
            + " echo \"kernel $k is older than 3.10\" >&2; exit 1; fi\n"
            + ". "
            + quote(request.layout().prefix() + "/scripts/lib/java.sh")
            + "\nlain_select_java\n"
            + "if [ -d /run/systemd/system ]; then s=yes; else s=no; fi\n"
            + "echo \"kernel $k, java $LAIN_JAVA_MAJOR, systemd $s\"\n";
    RemoteShell.Result result = shell.exec("bash -s", script.getBytes(StandardCharsets.UTF_8));
    if (!result.ok()) {
      throw new RemoteException(RemoteException.Code.STEP_FAILED, result.tail());
    }
    return result.out().strip();
  }

  private NodeInfo awaitRegistration(
      NodeAddress node, JoinTokens.JoinToken token, Request request) {
    Instant deadline = clock.instant().plus(request.registerTimeout());
    while (true) {
      Optional<NodeInfo> registered =
          Optional.ofNullable(storeCall(state::nodes).get(node.name()))
              .filter(n -> n.ip().equals(node.ip()));
      if (registered.isPresent()
          && storeCall(() -> ClusterNodes.alive(store, node.name()))
          && !storeCall(() -> JoinTokens.pending(store, token.id()))) {
        return registered.get();
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new RemoteException(
            RemoteException.Code.TIMEOUT,
            "the agent did not register within "
                + request.registerTimeout().toSeconds()
                + " s (see "
                + request.layout().agentLog()
                + " or journalctl -u lain-agent on the node)");
      }
      try {
        sleeper.sleep(Duration.ofMillis(200));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RemoteException(RemoteException.Code.TIMEOUT, "interrupted");
      }
    }
  }

  private static <T> T storeCall(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (StoreException e) {
      throw new RemoteException(
          RemoteException.Code.STORE, "the cluster store failed: " + e.getMessage(), e);
    } catch (RecordException e) {
      throw new RemoteException(RemoteException.Code.INVALID, e.getMessage(), e);
    }
  }
}
