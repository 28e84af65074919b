package dev.lain.hostnetwork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.network.NetworkSettings;
import dev.lain.testkit.NetNamespace;
import dev.lain.testkit.RequiredServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel, in network namespaces this test builds: two nodes on a switch that behaves like
 * a cloud VPC (it drops every packet whose source is not a node address), each with a container
 * bridge and one "container" namespace behind it, as Docker would attach it. Busybox's httpd and
 * curl stand in for instances and clients.
 */
class LinuxHostNetworkTest {
  @TempDir Path files;
  private TwoNodes net;
  private NetNamespace nodeA;
  private NetNamespace nodeB;
  private NetNamespace containerA;

  @BeforeEach
  void network() throws Exception {
    RequiredServices.require("busybox", "apt-get install busybox-static");
    RequiredServices.require("curl", "apt-get install curl");
    net = TwoNodes.create();
    nodeA = net.nodeA;
    nodeB = net.nodeB;
    containerA = net.containerA;
    Files.writeString(files.resolve("index.html"), "from b\n");
    net.containerB.sh(
        "dd if=/dev/urandom of="
            + files.resolve("big")
            + " bs=1M count=10 status=none"
            + " && busybox httpd -p 8080 -h "
            + files);
    Path doors = Files.createDirectories(files.resolve("doors"));
    Files.writeString(doors.resolve("index.html"), "door\n");
    for (NetNamespace node : List.of(nodeA, nodeB)) {
      // A platform port (9000, as the console's) and the webrouter's port 80.
      node.sh("busybox httpd -p 9000 -h " + doors + " && busybox httpd -p 80 -h " + doors);
    }
  }

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void routesTunnelAndDoorsAcrossAVpcThatDropsForeignSources() {
    LinuxHostNetwork onA = new LinuxHostNetwork(TwoNodes.runnerIn(nodeA));
    LinuxHostNetwork onB = new LinuxHostNetwork(TwoNodes.runnerIn(nodeB));
    assertThat(onA.uplinkMtu(TwoNodes.A.nodeIp())).isEqualTo(1500);

    // Plain routes carry container to container where nodes share a plain link...
    NetworkSettings plain = new NetworkSettings(TwoNodes.POOL, false);
    assertThat(onA.apply(plan("a", plain))).isNotEmpty();
    assertThat(onB.apply(plan("b", plain))).isNotEmpty();
    assertThat(onA.apply(plan("a", plain))).as("a second pass changes nothing").isEmpty();
    assertThat(nodeA.sh("ip route show proto 77"))
        .isEqualTo("172.20.2.0/24 via 192.168.90.22 dev up0 \n");
    assertThat(fetch(containerA, "http://172.20.2.2:8080/").output()).isEqualTo("from b\n");
    assertThat(nodeA.sh("curl -sS --max-time 3 http://172.20.2.2:8080/")).isEqualTo("from b\n");

    // ...but not on a VPC that drops foreign sources: there even the replies to nodes are lost.
    net.dropForeignSources();
    assertThat(fetch(containerA, "http://172.20.2.2:8080/").succeeded()).isFalse();
    assertThat(fetch(nodeA, "http://172.20.2.2:8080/").succeeded()).isFalse();

    // The tunnel: only node addresses on the wire; 10 MB through the smaller MTU.
    NetworkSettings tunnelled = new NetworkSettings(TwoNodes.POOL, true);
    net.apply(true);
    assertThat(onA.apply(plan("a", tunnelled))).isEmpty();
    assertThat(nodeA.sh("ip -d link show lainvx0"))
        .contains("mtu 1450")
        .contains("link/ether 02:4c:c0:a8:5a:15")
        .contains("vxlan id 4242 local 192.168.90.21")
        .contains("dstport 4789");
    assertThat(nodeA.sh("ip route show proto 77"))
        .isEqualTo("172.20.2.0/24 via 192.168.90.22 dev lainvx0 src 172.20.1.1 onlink \n");
    assertThat(fetch(containerA, "http://172.20.2.2:8080/").output()).isEqualTo("from b\n");
    assertThat(
            containerA.sh(
                "curl -sS --max-time 20 http://172.20.2.2:8080/big | md5sum | cut -d' ' -f1"))
        .isEqualTo(nodeA.sh("md5sum < " + files.resolve("big") + " | cut -d' ' -f1"));
    assertThat(nodeA.sh("curl -sS --max-time 3 http://172.20.2.2:8080/"))
        .as("a router on node a reaches the instance on node b through the tunnel")
        .isEqualTo("from b\n");

    // Doors: no platform port on any node, from the container; the router's port is open.
    for (String door :
        List.of("192.168.90.21:9000", "172.20.1.1:9000", "192.168.90.22:9000", "172.20.2.1:9000")) {
      assertThat(fetch(containerA, "http://" + door + "/").succeeded()).as(door).isFalse();
    }
    assertThat(fetch(containerA, "http://192.168.90.22:80/").output()).isEqualTo("door\n");
    assertThat(fetch(containerA, "http://192.168.90.21:80/").output()).isEqualTo("door\n");
    assertThat(nodeB.sh("curl -sS --max-time 3 http://192.168.90.22:9000/"))
        .as("the node itself still reaches its ports")
        .isEqualTo("door\n");

    // Node b leaves: its route, neighbour and forwarding entry go; nothing else changes.
    HostNetworkPlan alone =
        HostNetworkPlan.of("a", tunnelled, List.of(TwoNodes.A), 1500, TwoNodes.ROUTER_PORTS);
    assertThat(onA.apply(alone))
        .anyMatch(c -> c.startsWith("ip route del 172.20.2.0/24"))
        .anyMatch(c -> c.startsWith("ip neigh del 192.168.90.22"))
        .anyMatch(c -> c.startsWith("bridge fdb del 02:4c:c0:a8:5a:16"))
        .noneMatch(c -> c.contains("link"));
    assertThat(nodeA.sh("ip route show proto 77")).isEmpty();

    onA.clear();
    assertThat(nodeA.sh("ip -o link show")).doesNotContain("lainvx0");
    assertThat(nodeA.sh("iptables -w -S; iptables -w -t nat -S")).doesNotContain("LAIN-");
  }

  private static HostNetworkPlan plan(String self, NetworkSettings settings) {
    return TwoNodes.plan(self, settings.ipip());
  }

  private static dev.lain.testkit.Machine.Result fetch(NetNamespace from, String url) {
    return from.trySh("curl -sS --max-time 3 " + url);
  }
}
