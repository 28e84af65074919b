package dev.lain.bench;

import dev.lain.hostnetwork.TwoNodes;
import dev.lain.testkit.NetNamespace;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Container-to-container throughput across two nodes over the tunnel ({@code --ipip}) against
 * node-to-node throughput on the same link, in the same run: two nodes and their containers in
 * network namespaces of this machine on a switch that drops foreign sources (as a cloud VPC does),
 * with the agent's own plan applied by lain-host-network. Each figure is the download rate of one
 * file from busybox httpd with curl, alternated in rounds.
 */
@Command(
    name = "lain-bench network",
    mixinStandardHelpOptions = true,
    description = "Throughput container to container over the tunnel vs node to node.")
public final class NetworkBench implements Callable<Integer> {
  private final PrintStream out;

  @Option(
      names = "--megabytes",
      description = "Size of the file fetched (default ${DEFAULT-VALUE}).")
  int megabytes = 512;

  @Option(names = "--rounds", description = "Rounds of each path (default ${DEFAULT-VALUE}).")
  int rounds = 3;

  NetworkBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new NetworkBench(System.out)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    // /dev/shm keeps the disk out of the figures.
    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "lain-network-bench");
    try (TwoNodes net = TwoNodes.create()) {
      net.dropForeignSources();
      net.apply(true);
      net.nodeB.sh(
          "dd if=/dev/zero of="
              + dir
              + "/big bs=1M count="
              + megabytes
              + " status=none"
              + " && busybox httpd -p 8080 -h "
              + dir);
      net.containerB.sh("busybox httpd -p 8080 -h " + dir);
      String node = "http://" + TwoNodes.B.nodeIp() + ":8080/big";
      String container = "http://" + TwoNodes.B.network().address(2) + ":8080/big";
      fetch(net.nodeA, node);
      fetch(net.containerA, container);
      double nodeRate = 0;
      double containerRate = 0;
      for (int i = 0; i < rounds; i++) {
        nodeRate += fetch(net.nodeA, node) / rounds;
        containerRate += fetch(net.containerA, container) / rounds;
      }
      out.printf(
          Locale.ROOT, "%d MB from busybox httpd with curl, %d rounds each:%n", megabytes, rounds);
      out.printf(Locale.ROOT, "  %-44s %6.0f MB/s%n", "node to node", nodeRate);
      out.printf(
          Locale.ROOT,
          "  %-44s %6.0f MB/s (%.2f of node to node)%n",
          "container to container, tunnel MTU " + TwoNodes.plan("a", true).bridgeMtu(),
          containerRate,
          containerRate / nodeRate);
    } finally {
      Files.deleteIfExists(dir.resolve("big"));
      Files.deleteIfExists(dir);
    }
    return 0;
  }

  /** MB/s of one download of {@code url} from {@code from}. */
  private static double fetch(NetNamespace from, String url) {
    String speed =
        from.sh("curl -sS --max-time 120 -o /dev/null -w '%{speed_download}' " + url).strip();
    return Double.parseDouble(speed) / 1e6;
  }
}
