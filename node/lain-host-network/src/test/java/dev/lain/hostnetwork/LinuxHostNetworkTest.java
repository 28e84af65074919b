package dev.lain.hostnetwork;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.exec.CommandRunner;
import dev.lain.exec.ProcessCommandRunner;
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
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
  private static final AddressPool POOL = new AddressPool(Cidr.parse("172.20.0.0/16"), 24);
  private static final NodeBlock A =
      new NodeBlock(Cidr.parse("172.20.1.0/24"), "a", "192.168.90.21");
  private static final NodeBlock B =
      new NodeBlock(Cidr.parse("172.20.2.0/24"), "b", "192.168.90.22");
  private static final List<Integer> ROUTER_PORTS = List.of(80, 443);

  @TempDir Path files;
  private NetNamespace vpc;
  private NetNamespace nodeA;
  private NetNamespace nodeB;
  private NetNamespace containerA;
  private NetNamespace containerB;

  @BeforeEach
  void network() throws Exception {
    RequiredServices.require("iptables", "apt-get install iptables");
    RequiredServices.require("busybox", "apt-get install busybox-static");
    RequiredServices.require("curl", "apt-get install curl");
    vpc = NetNamespace.create("vpc");
    nodeA = NetNamespace.create("nodea");
    nodeB = NetNamespace.create("nodeb");
    containerA = NetNamespace.create("ctra");
    containerB = NetNamespace.create("ctrb");
    vpc.sh("ip link add vpc0 type bridge && ip link set vpc0 up");
    vpc.link("porta", "", nodeA, "up0", A.nodeIp() + "/24");
    vpc.link("portb", "", nodeB, "up0", B.nodeIp() + "/24");
    vpc.sh(
        "ip link set porta master vpc0 && ip link set portb master vpc0"
            + " && sysctl -q -w net.bridge.bridge-nf-call-iptables=1");
    node(nodeA, A, containerA);
    node(nodeB, B, containerB);
    Files.writeString(files.resolve("index.html"), "from b\n");
    containerB.sh(
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

  /** A node with its container bridge and one container on it, and Docker's FORWARD jump. */
  private static void node(NetNamespace node, NodeBlock block, NetNamespace container) {
    node.sh(
        "ip link add "
            + HostNetworkPlan.BRIDGE
            + " type bridge"
            + " && ip addr add "
            + block.gateway()
            + "/24 dev "
            + HostNetworkPlan.BRIDGE
            + " && ip link set "
            + HostNetworkPlan.BRIDGE
            + " up"
            + " && iptables -w -N DOCKER-USER && iptables -w -A FORWARD -j DOCKER-USER");
    node.link("veth0", "", container, "eth0", block.network().address(2) + "/24");
    node.sh("ip link set veth0 master " + HostNetworkPlan.BRIDGE);
    container.sh("ip route add default via " + block.gateway());
  }

  @AfterEach
  void tearDown() {
    for (NetNamespace ns : new NetNamespace[] {containerA, containerB, nodeA, nodeB, vpc}) {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Test
  void routesTunnelAndDoorsAcrossAVpcThatDropsForeignSources() {
    LinuxHostNetwork onA = new LinuxHostNetwork(runnerIn(nodeA));
    LinuxHostNetwork onB = new LinuxHostNetwork(runnerIn(nodeB));
    assertThat(onA.uplinkMtu(A.nodeIp())).isEqualTo(1500);

    // Plain routes carry container to container where nodes share a plain link...
    NetworkSettings plain = new NetworkSettings(POOL, false);
    assertThat(onA.apply(plan("a", plain))).isNotEmpty();
    assertThat(onB.apply(plan("b", plain))).isNotEmpty();
    assertThat(onA.apply(plan("a", plain))).as("a second pass changes nothing").isEmpty();
    assertThat(nodeA.sh("ip route show proto 77"))
        .isEqualTo("172.20.2.0/24 via 192.168.90.22 dev up0 \n");
    assertThat(fetch(containerA, "http://172.20.2.2:8080/").output()).isEqualTo("from b\n");
    assertThat(nodeA.sh("curl -sS --max-time 3 http://172.20.2.2:8080/")).isEqualTo("from b\n");

    // ...but not on a VPC that drops foreign sources: there even the replies to nodes are lost.
    vpc.sh("iptables -w -A FORWARD ! -s 192.168.90.0/24 -j DROP");
    assertThat(fetch(containerA, "http://172.20.2.2:8080/").succeeded()).isFalse();
    assertThat(fetch(nodeA, "http://172.20.2.2:8080/").succeeded()).isFalse();

    // The tunnel: only node addresses on the wire; 10 MB through the smaller MTU.
    NetworkSettings tunnelled = new NetworkSettings(POOL, true);
    onA.apply(plan("a", tunnelled));
    onB.apply(plan("b", tunnelled));
    setMtu(nodeA, containerA, 1450);
    setMtu(nodeB, containerB, 1450);
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
    HostNetworkPlan alone = HostNetworkPlan.of("a", tunnelled, List.of(A), 1500, ROUTER_PORTS);
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
    return HostNetworkPlan.of(self, settings, List.of(A, B), 1500, ROUTER_PORTS);
  }

  private static void setMtu(NetNamespace node, NetNamespace container, int mtu) {
    node.sh("ip link set veth0 mtu " + mtu + " && ip link set lainbr0 mtu " + mtu);
    container.sh("ip link set eth0 mtu " + mtu);
  }

  private static dev.lain.testkit.Machine.Result fetch(NetNamespace from, String url) {
    return from.trySh("curl -sS --max-time 3 " + url);
  }

  private static CommandRunner runnerIn(NetNamespace ns) {
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
}
