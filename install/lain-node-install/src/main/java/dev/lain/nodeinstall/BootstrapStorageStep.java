package dev.lain.nodeinstall;

import dev.lain.model.node.NodeLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The node's Docker, and its storage on the {@code --docker-device} when one is given, carried out
 * by lain-bootstrap's executor on the node itself: the distribution copied before this step holds
 * it, so the step runs {@code <prefix>/scripts/lib/launch dev.lain.bootstrap.BootstrapMain
 * --execute --storage-only ...} over the node's shell. There is one implementation of that flow
 * (packages, LVM + xfs, daemon.json with the cluster's insecure registries, Docker (re)started and
 * checked not to run on loopback storage), and it is the executor's; this class only builds its
 * command line.
 *
 * <p>The executor checks before it changes, so running the step again is the retry. Undo does
 * nothing to the disk: wiping it again would lose what a later retry keeps.
 */
public final class BootstrapStorageStep implements RemoteStep {
  /** The entry point run on the node. */
  public static final String MAIN = "dev.lain.bootstrap.BootstrapMain";

  /**
   * What the node's bootstrap is told besides the device.
   *
   * @param domain the cluster domain (daemon.json's insecure registry {@code registry.<domain>})
   * @param registryMirror the cluster's {@code registry_mirror}, if configured
   * @param nodeNetwork the cluster's {@code node_network}, in which the cluster's registry is
   *     reached (an insecure registry range for the node's dockerd)
   * @param containerNetwork the cluster's container pool, which the node's networks (its Docker
   *     bridge among them) must not overlap
   * @param force wipe a device that carries a signature ({@code --force})
   * @param noSystemd run dockerd behind a pid file even where systemd runs
   */
  public record Options(
      Optional<String> domain,
      Optional<String> registryMirror,
      Optional<String> nodeNetwork,
      Optional<String> containerNetwork,
      boolean force,
      boolean noSystemd) {
    public Options {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(registryMirror, "registryMirror");
      Objects.requireNonNull(nodeNetwork, "nodeNetwork");
      Objects.requireNonNull(containerNetwork, "containerNetwork");
    }

    public static Options defaults() {
      return new Options(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, false);
    }
  }

  private final NodeLayout layout;
  private final Options options;
  private final Optional<String> device;
  private final Consumer<String> progress;

  public BootstrapStorageStep(
      NodeLayout layout, Options options, Optional<String> device, Consumer<String> progress) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.options = Objects.requireNonNull(options, "options");
    this.device = Objects.requireNonNull(device, "device");
    this.progress = Objects.requireNonNull(progress, "progress");
    if (device.isPresent() && !device.get().startsWith("/dev/")) {
      throw new RemoteException(
          RemoteException.Code.INVALID,
          "--docker-device: '"
              + device.get()
              + "' must be a device path under /dev, e.g. /dev/vdb");
    }
  }

  /** The steps for {@code node add}: one per node, all with the same layout and options. */
  public static DockerSteps steps(NodeLayout layout, Options options, Consumer<String> progress) {
    return device -> new BootstrapStorageStep(layout, options, device, progress);
  }

  @Override
  public String name() {
    return device.map(d -> "set up Docker on " + d).orElse("set up Docker");
  }

  /** The arguments after the launcher, for {@code address}'s IP. */
  public List<String> arguments(NodeAddress address, boolean nodeRunsSystemd) {
    List<String> args = new ArrayList<>();
    args.add(MAIN);
    args.add("--execute");
    args.add("--storage-only");
    device.ifPresent(
        d -> {
          args.add("--docker-device");
          args.add(d);
        });
    args.add("--node-ip");
    args.add(address.ip());
    options
        .nodeNetwork()
        .ifPresent(
            n -> {
              args.add("--node-network");
              args.add(n);
            });
    options
        .containerNetwork()
        .ifPresent(
            n -> {
              args.add("--container-network");
              args.add(n);
            });
    options
        .domain()
        .ifPresent(
            d -> {
              args.add("--domain");
              args.add(d);
            });
    options
        .registryMirror()
        .ifPresent(
            m -> {
              args.add("-m");
              args.add(m);
            });
    if (options.force()) {
      args.add("--force");
    }
    if (options.noSystemd() || !nodeRunsSystemd) {
      args.add("--no-systemd");
    }
    return List.copyOf(args);
  }

  /** The shell command run on the node, every argument quoted. */
  public String command(NodeAddress address, boolean nodeRunsSystemd) {
    StringBuilder command = new StringBuilder(RemoteShell.quote(launcher()));
    for (String arg : arguments(address, nodeRunsSystemd)) {
      command.append(' ').append(RemoteShell.quote(arg));
    }
    return command.append(" 2>&1").toString();
  }

  private String launcher() {
    return layout.prefix() + "/scripts/lib/launch";
  }

  @Override
  public void run(RemoteShell node, NodeAddress address) {
    // As the agent's starter does: where systemd does not run the node, dockerd gets a pid file.
    boolean systemd = node.exec("test -d /run/systemd/system").ok();
    RemoteShell.Result result = node.exec(command(address, systemd));
    String output = result.out() + result.err();
    output.lines().forEach(line -> progress.accept("[" + address + "]   " + line));
    if (!result.ok()) {
      throw new RemoteException(
          RemoteException.Code.STEP_FAILED,
          launcher()
              + " "
              + MAIN
              + " --storage-only exited "
              + result.exitCode()
              + ": "
              + tail(output)
              + " (the step is safe to repeat: fix the cause and run node add again"
              + device
                  .map(
                      d ->
                          "; nothing on "
                              + d
                              + " is undone here: what it holds now is reported by the executor"
                              + " above")
                  .orElse("")
              + ")");
    }
  }

  private static String tail(String output) {
    List<String> lines = output.strip().lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return "no output";
    }
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
  }
}
