package dev.lain.cli.lainctl;

import dev.lain.cli.ExitCode;
import dev.lain.cli.Table;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.RecordException;
import dev.lain.records.network.ContainerNetworks;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lainctl network}: the container network (its pool, whether it is tunnelled, the nodes'
 * blocks), and {@code lainctl network ipip on|off} to tunnel it or not on a running cluster.
 */
@Command(
    name = "network",
    description = "The container network: its pool, the nodes' blocks, the tunnel (--ipip).",
    subcommands = {NetworkCommand.Show.class, NetworkCommand.Ipip.class})
final class NetworkCommand extends LainctlGroup {

  @Command(name = "show", description = "The pool, whether it is tunnelled, every node's block.")
  static final class Show implements Callable<Integer> {
    @ParentCommand NetworkCommand network;

    @Override
    public Integer call() {
      return network.lainctl.withStore(
          store -> {
            PrintWriter out = network.lainctl.context.out();
            ContainerNetworks networks = new ContainerNetworks(store);
            Optional<NetworkSettings> settings = networks.settings();
            if (settings.isEmpty()) {
              out.println("The cluster has no container network: instances publish host ports.");
              return ExitCode.OK;
            }
            List<NodeBlock> blocks = networks.blocks();
            out.println(
                "container network "
                    + settings.get()
                    + ": "
                    + blocks.size()
                    + " of "
                    + settings.get().pool().blocks()
                    + " blocks held");
            Table table = new Table("BLOCK", "NODE", "NODE IP", "GATEWAY");
            for (NodeBlock b : blocks) {
              table.row(b.network().toString(), b.node(), b.nodeIp(), b.gateway());
            }
            table.print(out);
            return ExitCode.OK;
          });
    }
  }

  @Command(
      name = "ipip",
      description = {
        "on: tunnel container traffic between nodes, so that only node addresses are on the",
        "wire (a VPC that drops foreign sources); off: plain routes via node addresses. Each",
        "agent switches its node, and makes its instances again with the new MTU."
      })
  static final class Ipip implements Callable<Integer> {
    @ParentCommand NetworkCommand network;

    @Parameters(paramLabel = "on|off")
    String value;

    @Override
    public Integer call() {
      PrintWriter err = network.lainctl.context.err();
      if (!value.equals("on") && !value.equals("off")) {
        err.println("error: lainctl network ipip takes on or off, not '" + value + "'");
        return ExitCode.USAGE;
      }
      return network.lainctl.withStore(
          store -> {
            ContainerNetworks networks = new ContainerNetworks(store);
            Optional<NetworkSettings> settings = networks.settings();
            if (settings.isEmpty()) {
              err.println("error: the cluster has no container network (bootstrap defines it)");
              return ExitCode.FAILED;
            }
            boolean on = value.equals("on");
            if (settings.get().ipip() == on) {
              network.lainctl.context.out().println("ipip is " + value + " already");
              return ExitCode.OK;
            }
            try {
              NetworkSettings now =
                  networks.define(new NetworkSettings(settings.get().pool(), on), List.of());
              network.lainctl.context.out().println("container network " + now);
              return ExitCode.OK;
            } catch (RecordException e) {
              err.println("error: " + e.getMessage() + " (nothing was changed)");
              return ExitCode.FAILED;
            }
          });
    }
  }
}
