package dev.lain.hostnetwork;

import dev.lain.model.Ipv4;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node's kernel holds for the container network, computed from the cluster's settings and
 * blocks (pure):
 *
 * <ul>
 *   <li>a route to every other node's block: via that node's address where nodes share a link, or
 *       with {@code ipip} over the VXLAN device {@link #TUNNEL}, so that what is on the wire
 *       carries only node addresses (this kernel family is built without IP-in-IP; VXLAN is the
 *       tunnel that every kernel LAIN runs on has). Host-originated packets into the tunnel leave
 *       from the node's own gateway address, so replies come back through the tunnel too;
 *   <li>with a tunnel, one permanent neighbour and forwarding entry per other node: their tunnel
 *       MAC is derived from their node address, so nothing but the blocks has to be shared;
 *   <li>the container MTU: the uplink's, less the tunnel's header;
 *   <li>the firewall and nat-outgoing rules ({@link Firewall}).
 * </ul>
 */
public record HostNetworkPlan(
    NodeBlock own,
    Cidr pool,
    int bridgeMtu,
    Optional<Tunnel> tunnel,
    List<Route> routes,
    List<Peer> peers,
    Firewall firewall) {

  /** The Docker network's Linux bridge on every node. */
  public static final String BRIDGE = "lainbr0";

  /** The VXLAN device carrying container traffic between nodes with {@code ipip}. */
  public static final String TUNNEL = "lainvx0";

  /** The VXLAN network identifier: one cluster, one segment. */
  public static final int VNI = 4242;

  /** The IANA VXLAN port; nodes must let UDP to it through from each other. */
  public static final int VXLAN_PORT = 4789;

  /** Outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14). */
  public static final int VXLAN_OVERHEAD = 50;

  /**
   * The routing protocol number LAIN's routes carry, so that the agent lists and removes only its
   * own (iproute2 shows it as "proto 77").
   */
  public static final int ROUTE_PROTOCOL = 77;

  /** The tunnel device this node has. */
  public record Tunnel(String device, int vni, int port, String local, String mac, int mtu) {}

  /**
   * A route to another node's block: via its node address, on the tunnel device with the node's
   * gateway as source when tunnelled.
   */
  public record Route(
      Cidr destination, String via, Optional<String> device, Optional<String> source) {
    public Route {
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(via, "via");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(source, "source");
    }
  }

  /** Another node's end of the tunnel: its node address and its tunnel MAC. */
  public record Peer(String nodeIp, String mac) {}

  /**
   * The plan for {@code self}.
   *
   * @param blocks every block given, {@code self}'s among them
   * @param uplinkMtu the MTU of the interface that holds {@code self}'s node address
   * @param routerPorts the ports of the node addresses app containers may open (the webrouter's)
   * @throws IllegalArgumentException when {@code self} holds no block
   */
  public static HostNetworkPlan of(
      String self,
      NetworkSettings settings,
      List<NodeBlock> blocks,
      int uplinkMtu,
      List<Integer> routerPorts) {
    NodeBlock own =
        blocks.stream()
            .filter(b -> b.node().equals(self))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("node " + self + " holds no block of the pool"));
    List<NodeBlock> others =
        blocks.stream()
            .filter(b -> !b.node().equals(self))
            .sorted(java.util.Comparator.comparing(NodeBlock::network))
            .toList();
    Optional<Tunnel> tunnel =
        settings.ipip()
            ? Optional.of(
                new Tunnel(
                    TUNNEL,
                    VNI,
                    VXLAN_PORT,
                    own.nodeIp(),
                    tunnelMac(own.nodeIp()),
                    uplinkMtu - VXLAN_OVERHEAD))
            : Optional.empty();
    List<Route> routes = new ArrayList<>();
    List<Peer> peers = new ArrayList<>();
    for (NodeBlock other : others) {
      if (tunnel.isPresent()) {
        routes.add(
            new Route(
                other.network(), other.nodeIp(), Optional.of(TUNNEL), Optional.of(own.gateway())));
        peers.add(new Peer(other.nodeIp(), tunnelMac(other.nodeIp())));
      } else {
        routes.add(new Route(other.network(), other.nodeIp(), Optional.empty(), Optional.empty()));
      }
    }
    List<String> nodeIps = blocks.stream().map(NodeBlock::nodeIp).distinct().sorted().toList();
    return new HostNetworkPlan(
        own,
        settings.pool().network(),
        tunnel.map(Tunnel::mtu).orElse(uplinkMtu),
        tunnel,
        List.copyOf(routes),
        List.copyOf(peers),
        Firewall.of(settings.pool().network(), own.network(), BRIDGE, nodeIps, routerPorts));
  }

  /** A locally administered unicast MAC made of the node address: {@code 02:4c:a:b:c:d}. */
  static String tunnelMac(String nodeIp) {
    long a = Ipv4.toLong(nodeIp);
    return String.format(
        Locale.ROOT,
        "02:4c:%02x:%02x:%02x:%02x",
        (a >> 24) & 0xff,
        (a >> 16) & 0xff,
        (a >> 8) & 0xff,
        a & 0xff);
  }
}
