package dev.lain.hostnetwork;

import dev.lain.exec.CommandRunner;
import dev.lain.exec.ProcessCommandRunner;
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.testkit.NetNamespace;
import dev.lain.testkit.RequiredServices;
import java.util.List;

/**
 * Two nodes in network namespaces of this machine, on a switch that behaves like a cloud VPC once
 * {@link #dropForeignSources()} is called (it drops every packet whose source is not a node
 * address), each with a container bridge and one "container" namespace attached to it as Docker
 * would attach it, and Docker's FORWARD jump into DOCKER-USER. Used by the tests and by {@code
 * lain-bench network}.
 */
public final class TwoNodes implements AutoCloseable {
  public static final AddressPool POOL = new AddressPool(Cidr.parse("172.20.0.0/16"), 24);
  public static final NodeBlock A =
      new NodeBlock(Cidr.parse("172.20.1.0/24"), "a", "192.168.90.21");
  public static final NodeBlock B =
      new NodeBlock(Cidr.parse("172.20.2.0/24"), "b", "192.168.90.22");
  public static final List<Integer> ROUTER_PORTS = List.of(80, 443);

  public final NetNamespace vpc;
  public final NetNamespace nodeA;
  public final NetNamespace nodeB;
  public final NetNamespace containerA;
  public final NetNamespace containerB;

  private TwoNodes(
      NetNamespace vpc, NetNamespace a, NetNamespace b, NetNamespace ca, NetNamespace cb) {
    this.vpc = vpc;
    this.nodeA = a;
    this.nodeB = b;
    this.containerA = ca;
    this.containerB = cb;
  }

  public static TwoNodes create() {
    RequiredServices.require("iptables", "apt-get install iptables");
    TwoNodes n =
        new TwoNodes(
            NetNamespace.create("vpc"),
            NetNamespace.create("nodea"),
            NetNamespace.create("nodeb"),
            NetNamespace.create("ctra"),
            NetNamespace.create("ctrb"));
    try {
      n.vpc.sh("ip link add vpc0 type bridge && ip link set vpc0 up");
      n.vpc.link("porta", "", n.nodeA, "up0", A.nodeIp() + "/24");
      n.vpc.link("portb", "", n.nodeB, "up0", B.nodeIp() + "/24");
      n.vpc.sh(
          "ip link set porta master vpc0 && ip link set portb master vpc0"
              + " && sysctl -q -w net.bridge.bridge-nf-call-iptables=1");
      node(n.nodeA, A, n.containerA);
      node(n.nodeB, B, n.containerB);
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
    return n;
  }

  private static void node(NetNamespace node, NodeBlock block, NetNamespace container) {
    node.sh(
        "ip link add "
            + HostNetworkPlan.BRIDGE
            + " type bridge && ip addr add "
            + block.gateway()
            + "/24 dev "
            + HostNetworkPlan.BRIDGE
            + " && ip link set "
            + HostNetworkPlan.BRIDGE
            + " up && iptables -w -N DOCKER-USER && iptables -w -A FORWARD -j DOCKER-USER");
    node.link("veth0", "", container, "eth0", block.network().address(2) + "/24");
    node.sh("ip link set veth0 master " + HostNetworkPlan.BRIDGE);
    container.sh("ip route add default via " + block.gateway());
  }

  /** From now on the switch drops what does not come from a node address. */
  public void dropForeignSources() {
    vpc.sh("iptables -w -A FORWARD ! -s 192.168.90.0/24 -j DROP");
  }

  /** Node {@code self}'s plan for the two blocks. */
  public static HostNetworkPlan plan(String self, boolean ipip) {
    return HostNetworkPlan.of(
        self, new NetworkSettings(POOL, ipip), List.of(A, B), 1500, ROUTER_PORTS);
  }

  /** Applies both nodes' plans and gives the containers the bridge's MTU, as Docker would. */
  public void apply(boolean ipip) {
    for (String self : List.of("a", "b")) {
      NetNamespace node = self.equals("a") ? nodeA : nodeB;
      NetNamespace container = self.equals("a") ? containerA : containerB;
      HostNetworkPlan plan = plan(self, ipip);
      new LinuxHostNetwork(runnerIn(node)).apply(plan);
      node.sh(
          "ip link set veth0 mtu "
              + plan.bridgeMtu()
              + " && ip link set "
              + HostNetworkPlan.BRIDGE
              + " mtu "
              + plan.bridgeMtu());
      container.sh("ip link set eth0 mtu " + plan.bridgeMtu());
    }
  }

  /** Runs commands in {@code ns}. */
  public static CommandRunner runnerIn(NetNamespace ns) {
    ProcessCommandRunner local = new ProcessCommandRunner();
    return new CommandRunner() {
      @Override
      public Result run(List<String> argv) {
        return local.run(ns.command(argv));
      }

      @Override
      public Result run(List<String> argv, String input) {
        return local.run(ns.command(argv), input);
      }
    };
  }

  @Override
  public void close() {
    for (NetNamespace ns : List.of(containerA, containerB, nodeA, nodeB, vpc)) {
      ns.close();
    }
  }
}
