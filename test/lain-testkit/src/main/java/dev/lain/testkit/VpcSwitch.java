package dev.lain.testkit;

import java.util.List;

/**
 * A switch that behaves like a cloud VPC (Aliyun's): machines plugged into it share one link, and
 * it drops every packet whose source is not an address of the node network, as a VPC drops foreign
 * source addresses. It lives in a network namespace of its own; {@link #close()} removes it.
 */
public final class VpcSwitch implements AutoCloseable {
  private static final String BRIDGE = "vpc0";
  private final NetNamespace ns;
  private int ports;

  private VpcSwitch(NetNamespace ns) {
    this.ns = ns;
  }

  /** A switch for {@code nodeNetwork} (CIDR): everything else as a source is dropped. */
  public static VpcSwitch create(String nodeNetwork) {
    RequiredServices.require("iptables", "apt-get install iptables");
    NetNamespace ns = NetNamespace.create("vpc");
    try {
      ns.sh(
          "ip link add "
              + BRIDGE
              + " type bridge && ip link set "
              + BRIDGE
              + " up && sysctl -q -w net.bridge.bridge-nf-call-iptables=1"
              + " && iptables -w -A FORWARD ! -s "
              + nodeNetwork
              + " -j DROP");
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
    return new VpcSwitch(ns);
  }

  /**
   * Plugs {@code machine} in: its interface {@code lain0} gets {@code address} (with prefix) and a
   * default route, as on a server.
   */
  public void plug(Machine machine, String address) {
    String port = "port" + (ports++);
    ChildProcesses.runOrFail(
        List.of(
            "ip",
            "link",
            "add",
            "lain0",
            "netns",
            Long.toString(machine.initPid()),
            "type",
            "veth",
            "peer",
            "name",
            port,
            "netns",
            ns.name()));
    ns.sh("ip link set " + port + " master " + BRIDGE + " && ip link set " + port + " up");
    machine.bringUp(address);
  }

  /**
   * Gives the switch itself {@code address} (with prefix) on the node network, for servers that
   * stand for the world outside the VPC (a public registry), and returns the namespace to run them
   * in.
   */
  public NetNamespace serve(String address) {
    ns.sh("ip addr add " + address + " dev " + BRIDGE);
    return ns;
  }

  /** How many packets the switch dropped for their foreign source so far. */
  public long dropped() {
    String counters = ns.sh("iptables -w -L FORWARD -v -x -n | awk '$3 == \"DROP\" {print $1}'");
    return counters.isBlank() ? 0 : Long.parseLong(counters.strip());
  }

  @Override
  public void close() {
    ns.close();
  }
}
