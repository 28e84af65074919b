package dev.lain.hostnetwork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.hostnetwork.HostNetworkPlan.Peer;
import dev.lain.hostnetwork.HostNetworkPlan.Route;
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostNetworkPlanTest {
  private static final AddressPool POOL = new AddressPool(Cidr.parse("172.20.0.0/16"), 24);
  private static final List<NodeBlock> BLOCKS =
      List.of(
          new NodeBlock(Cidr.parse("172.20.2.0/24"), "node2", "10.0.0.12"),
          new NodeBlock(Cidr.parse("172.20.0.0/24"), "node1", "10.0.0.11"),
          new NodeBlock(Cidr.parse("172.20.1.0/24"), "node3", "10.0.0.13"));

  @Test
  void plainRoutesGoViaEachOtherNodesAddressWithTheUplinksMtu() {
    HostNetworkPlan plan =
        HostNetworkPlan.of("node1", new NetworkSettings(POOL, false), BLOCKS, 9001, List.of(80));

    assertThat(plan.own().network()).isEqualTo(Cidr.parse("172.20.0.0/24"));
    assertThat(plan.bridgeMtu()).isEqualTo(9001);
    assertThat(plan.tunnel()).isEmpty();
    assertThat(plan.peers()).isEmpty();
    assertThat(plan.routes())
        .containsExactly(
            new Route(Cidr.parse("172.20.1.0/24"), "10.0.0.13", Optional.empty(), Optional.empty()),
            new Route(
                Cidr.parse("172.20.2.0/24"), "10.0.0.12", Optional.empty(), Optional.empty()));
  }

  @Test
  void tunnelledRoutesLeaveFromTheGatewayOverTheTunnelWhoseHeaderTheMtuLeavesRoomFor() {
    HostNetworkPlan plan =
        HostNetworkPlan.of("node3", new NetworkSettings(POOL, true), BLOCKS, 1500, List.of(80));

    assertThat(plan.bridgeMtu()).isEqualTo(1450);
    assertThat(plan.tunnel().orElseThrow())
        .isEqualTo(
            new HostNetworkPlan.Tunnel(
                "lainvx0", 4242, 4789, "10.0.0.13", "02:4c:0a:00:00:0d", 1450));
    assertThat(plan.routes())
        .containsExactly(
            new Route(
                Cidr.parse("172.20.0.0/24"),
                "10.0.0.11",
                Optional.of("lainvx0"),
                Optional.of("172.20.1.1")),
            new Route(
                Cidr.parse("172.20.2.0/24"),
                "10.0.0.12",
                Optional.of("lainvx0"),
                Optional.of("172.20.1.1")));
    assertThat(plan.peers())
        .containsExactly(
            new Peer("10.0.0.11", "02:4c:0a:00:00:0b"), new Peer("10.0.0.12", "02:4c:0a:00:00:0c"));
  }

  @Test
  void aNodeWithoutABlockHasNoPlan() {
    assertThatThrownBy(
            () ->
                HostNetworkPlan.of(
                    "node9", new NetworkSettings(POOL, false), BLOCKS, 1500, List.of(80)))
        .hasMessage("node node9 holds no block of the pool");
  }

  @Test
  void theChainsCloseEveryNodeAddressToThePoolButTheRoutersPortsAndMasqueradeOnlyLeavingThePool() {
    HostNetworkPlan plan =
        HostNetworkPlan.of(
            "node2", new NetworkSettings(POOL, false), BLOCKS, 1500, List.of(8443, 80, 443, 8080));

    assertThat(plan.firewall().restoreInput())
        .isEqualTo(
            """
            *filter
            :LAIN-INPUT - [0:0]
            :LAIN-FORWARD - [0:0]
            :LAIN-FROM-APPS - [0:0]
            :LAIN-NODE-DOORS - [0:0]
            :LAIN-APPS - [0:0]
            -A LAIN-INPUT -s 172.20.0.0/16 -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
            -A LAIN-INPUT -s 172.20.0.0/16 -p tcp -m multiport --dports 80,443,8080,8443 -j RETURN
            -A LAIN-INPUT -s 172.20.0.0/16 -j REJECT --reject-with icmp-port-unreachable
            -A LAIN-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
            -A LAIN-FORWARD -i lainbr0 -j LAIN-FROM-APPS
            -A LAIN-FORWARD -s 172.20.0.0/16 -o lainbr0 -j LAIN-APPS
            -A LAIN-FORWARD -s 10.0.0.11/32 -o lainbr0 -j ACCEPT
            -A LAIN-FORWARD -s 10.0.0.12/32 -o lainbr0 -j ACCEPT
            -A LAIN-FORWARD -s 10.0.0.13/32 -o lainbr0 -j ACCEPT
            -A LAIN-FROM-APPS -d 10.0.0.11/32 -j LAIN-NODE-DOORS
            -A LAIN-FROM-APPS -d 10.0.0.12/32 -j LAIN-NODE-DOORS
            -A LAIN-FROM-APPS -d 10.0.0.13/32 -j LAIN-NODE-DOORS
            -A LAIN-NODE-DOORS -p tcp -m multiport --dports 80,443,8080,8443 -j RETURN
            -A LAIN-NODE-DOORS -j REJECT --reject-with icmp-port-unreachable
            -A LAIN-APPS -j ACCEPT
            COMMIT
            *nat
            :LAIN-POSTROUTING - [0:0]
            -A LAIN-POSTROUTING -s 172.20.2.0/24 -d 172.20.0.0/16 -j RETURN
            -A LAIN-POSTROUTING -s 172.20.2.0/24 -j MASQUERADE
            COMMIT
            """);
  }
}
