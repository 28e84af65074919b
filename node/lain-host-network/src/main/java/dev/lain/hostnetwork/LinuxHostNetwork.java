package dev.lain.hostnetwork;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.exec.CommandRunner;
import dev.lain.exec.Commands;
import dev.lain.hostnetwork.HostNetworkPlan.Peer;
import dev.lain.hostnetwork.HostNetworkPlan.Route;
import dev.lain.hostnetwork.HostNetworkPlan.Tunnel;
import dev.lain.model.network.Cidr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the kernel hold a {@link HostNetworkPlan} with iproute2 and iptables, changing only what
 * differs: an agent that restarts, or runs the same plan again, changes nothing. Only what LAIN
 * owns is touched: routes with protocol {@link HostNetworkPlan#ROUTE_PROTOCOL}, the tunnel device,
 * its neighbours and forwarding entries, and the LAIN chains with one jump into each.
 */
public final class LinuxHostNetwork {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROTO = Integer.toString(HostNetworkPlan.ROUTE_PROTOCOL);

  private final CommandRunner runner;

  /**
   * @param runner runs {@code ip}, {@code bridge}, {@code sysctl} and {@code iptables}
   */
  public LinuxHostNetwork(CommandRunner runner) {
    this.runner = runner;
  }

  /** The MTU of the interface that holds {@code nodeIp}. */
  public int uplinkMtu(String nodeIp) {
    for (JsonNode link : json(List.of("ip", "-j", "-4", "addr", "show"))) {
      for (JsonNode address : link.path("addr_info")) {
        if (address.path("local").asText().equals(nodeIp)) {
          return link.path("mtu").asInt();
        }
      }
    }
    throw new HostNetworkException("no interface of this machine holds the node address " + nodeIp);
  }

  /**
   * Makes the kernel hold {@code plan}; the changes made, as the commands that made them (empty
   * when everything already was as planned). The plan's gateway must be an address of this machine
   * already (the container bridge's): tunnelled routes leave from it.
   */
  public List<String> apply(HostNetworkPlan plan) {
    List<String> changes = new ArrayList<>();
    if (!sysctl("net.ipv4.ip_forward").equals("1")) {
      run(changes, List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
    }
    tunnel(plan.tunnel(), changes);
    if (plan.tunnel().isPresent()) {
      peers(plan.tunnel().get(), plan.peers(), changes);
    }
    routes(plan.routes(), changes);
    firewall(plan.firewall(), changes);
    return changes;
  }

  /** Removes everything LAIN put in the kernel (a node leaving the cluster). */
  public List<String> clear() {
    List<String> changes = new ArrayList<>();
    routes(List.of(), changes);
    tunnel(Optional.empty(), changes);
    for (Firewall.Jump jump : Firewall.JUMPS) {
      if (check(
          List.of("iptables", "-w", "-t", jump.table(), "-C", jump.from(), "-j", jump.to()))) {
        run(
            changes,
            List.of("iptables", "-w", "-t", jump.table(), "-D", jump.from(), "-j", jump.to()));
      }
    }
    for (String table : List.of("filter", "nat")) {
      for (String chain : chains(table)) {
        if (chain.startsWith("LAIN-")) {
          run(changes, List.of("iptables", "-w", "-t", table, "-F", chain));
        }
      }
      for (String chain : chains(table)) {
        if (chain.startsWith("LAIN-")) {
          run(changes, List.of("iptables", "-w", "-t", table, "-X", chain));
        }
      }
    }
    return changes;
  }

  private void tunnel(Optional<Tunnel> wanted, List<String> changes) {
    String device = HostNetworkPlan.TUNNEL;
    Optional<JsonNode> link = link(device);
    if (wanted.isEmpty()) {
      if (link.isPresent()) {
        run(changes, List.of("ip", "link", "del", device));
      }
      return;
    }
    Tunnel t = wanted.get();
    if (link.isPresent()) {
      JsonNode info = link.get().path("linkinfo");
      JsonNode data = info.path("info_data");
      boolean same =
          info.path("info_kind").asText().equals("vxlan")
              && data.path("id").asInt() == t.vni()
              && data.path("local").asText().equals(t.local())
              && data.path("port").asInt() == t.port();
      if (!same) {
        run(changes, List.of("ip", "link", "del", device));
        link = Optional.empty();
      }
    }
    if (link.isEmpty()) {
      run(
          changes,
          List.of(
              "ip",
              "link",
              "add",
              device,
              "type",
              "vxlan",
              "id",
              Integer.toString(t.vni()),
              "local",
              t.local(),
              "dstport",
              Integer.toString(t.port()),
              "nolearning"));
      link = link(device);
    }
    JsonNode l = link.orElseThrow(() -> new HostNetworkException(device + " was not created"));
    if (!l.path("address").asText().equals(t.mac())) {
      run(changes, List.of("ip", "link", "set", device, "address", t.mac()));
    }
    if (l.path("mtu").asInt() != t.mtu()) {
      run(changes, List.of("ip", "link", "set", device, "mtu", Integer.toString(t.mtu())));
    }
    boolean up = false;
    for (JsonNode flag : l.path("flags")) {
      up |= flag.asText().equals("UP");
    }
    if (!up) {
      run(changes, List.of("ip", "link", "set", device, "up"));
    }
  }

  private void peers(Tunnel tunnel, List<Peer> peers, List<String> changes) {
    String device = tunnel.device();
    Map<String, String> neighbours = new HashMap<>();
    for (JsonNode n : json(List.of("ip", "-j", "neigh", "show", "dev", device))) {
      neighbours.put(n.path("dst").asText(), n.path("lladdr").asText());
    }
    Map<String, String> forwarding = new HashMap<>();
    for (JsonNode f : json(List.of("bridge", "-j", "fdb", "show", "dev", device))) {
      if (f.has("dst")) {
        forwarding.put(f.path("mac").asText(), f.path("dst").asText());
      }
    }
    Map<String, String> wantedNeighbours = new HashMap<>();
    Map<String, String> wantedForwarding = new HashMap<>();
    for (Peer p : peers) {
      wantedNeighbours.put(p.nodeIp(), p.mac());
      wantedForwarding.put(p.mac(), p.nodeIp());
      if (!p.mac().equals(neighbours.get(p.nodeIp()))) {
        run(
            changes,
            List.of(
                "ip",
                "neigh",
                "replace",
                p.nodeIp(),
                "lladdr",
                p.mac(),
                "dev",
                device,
                "nud",
                "permanent"));
      }
      if (!p.nodeIp().equals(forwarding.get(p.mac()))) {
        run(
            changes,
            List.of(
                "bridge",
                "fdb",
                "replace",
                p.mac(),
                "dev",
                device,
                "dst",
                p.nodeIp(),
                "self",
                "permanent"));
      }
    }
    for (String ip : neighbours.keySet()) {
      if (!wantedNeighbours.containsKey(ip)) {
        run(changes, List.of("ip", "neigh", "del", ip, "dev", device));
      }
    }
    forwarding.forEach(
        (mac, dst) -> {
          if (!dst.equals(wantedForwarding.get(mac))) {
            run(changes, List.of("bridge", "fdb", "del", mac, "dev", device, "dst", dst, "self"));
          }
        });
  }

  private void routes(List<Route> wanted, List<String> changes) {
    Map<Cidr, JsonNode> current = new HashMap<>();
    for (JsonNode r : json(List.of("ip", "-j", "route", "show", "proto", PROTO))) {
      current.put(destination(r.path("dst").asText()), r);
    }
    for (Route route : wanted) {
      JsonNode now = current.remove(route.destination());
      if (now != null && matches(now, route)) {
        continue;
      }
      List<String> command =
          new ArrayList<>(
              List.of(
                  "ip", "route", "replace", route.destination().toString(), "via", route.via()));
      route.device().ifPresent(d -> command.addAll(List.of("dev", d, "onlink")));
      route.source().ifPresent(s -> command.addAll(List.of("src", s)));
      command.addAll(List.of("proto", PROTO));
      run(changes, command);
    }
    for (Cidr stale : current.keySet()) {
      run(changes, List.of("ip", "route", "del", stale.toString(), "proto", PROTO));
    }
  }

  private static boolean matches(JsonNode now, Route route) {
    return now.path("gateway").asText().equals(route.via())
        && route.device().map(d -> now.path("dev").asText().equals(d)).orElse(true)
        && route.source().orElse("").equals(now.path("prefsrc").asText());
  }

  /** {@code ip -j route} writes a /32 as the bare address. */
  private static Cidr destination(String dst) {
    return Cidr.parse(dst.contains("/") ? dst : dst + "/32");
  }

  private void firewall(Firewall firewall, List<String> changes) {
    boolean same = chainsHold("filter", firewall.filter()) && chainsHold("nat", firewall.nat());
    if (!same) {
      CommandRunner.Result restored =
          runner.run(List.of("iptables-restore", "-w", "--noflush"), firewall.restoreInput());
      if (!restored.succeeded()) {
        throw new HostNetworkException(
            "iptables-restore --noflush of LAIN's chains failed: "
                + Commands.tail(restored.stderr() + restored.stdout()));
      }
      changes.add("iptables-restore --noflush (LAIN's chains)");
    }
    if (!chains("filter").contains("DOCKER-USER")) {
      // Docker creates it too when it starts, and keeps what is in it.
      run(changes, List.of("iptables", "-w", "-N", "DOCKER-USER"));
    }
    for (Firewall.Jump jump : Firewall.JUMPS) {
      if (!check(
          List.of("iptables", "-w", "-t", jump.table(), "-C", jump.from(), "-j", jump.to()))) {
        run(
            changes,
            List.of("iptables", "-w", "-t", jump.table(), "-I", jump.from(), "1", "-j", jump.to()));
      }
    }
  }

  private boolean chainsHold(String table, Map<String, List<String>> chains) {
    for (Map.Entry<String, List<String>> chain : chains.entrySet()) {
      CommandRunner.Result listed =
          runner.run(List.of("iptables", "-w", "-t", table, "-S", chain.getKey()));
      if (!listed.succeeded()) {
        return false;
      }
      List<String> rules =
          listed.stdout().lines().filter(l -> l.startsWith("-A ")).map(String::strip).toList();
      if (!rules.equals(chain.getValue())) {
        return false;
      }
    }
    return true;
  }

  private List<String> chains(String table) {
    List<String> out = new ArrayList<>();
    for (String line : output(List.of("iptables", "-w", "-t", table, "-S")).lines().toList()) {
      if (line.startsWith("-N ") || line.startsWith("-P ")) {
        out.add(line.split(" ")[1]);
      }
    }
    return out;
  }

  private String sysctl(String name) {
    return output(List.of("sysctl", "-n", name)).strip();
  }

  private Optional<JsonNode> link(String device) {
    CommandRunner.Result shown =
        runner.run(List.of("ip", "-j", "-d", "link", "show", "dev", device));
    if (!shown.succeeded()) {
      return Optional.empty();
    }
    JsonNode links = parse(shown.stdout(), "ip link show " + device);
    return links.isArray() && !links.isEmpty() ? Optional.of(links.get(0)) : Optional.empty();
  }

  private JsonNode json(List<String> argv) {
    String out = output(argv);
    return out.isBlank() ? JSON.createArrayNode() : parse(out, Commands.render(argv));
  }

  private static JsonNode parse(String text, String what) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new HostNetworkException(what + " printed what is not JSON: " + e.getMessage());
    }
  }

  private boolean check(List<String> argv) {
    return runner.run(argv).succeeded();
  }

  private String output(List<String> argv) {
    CommandRunner.Result result = runner.run(argv);
    if (!result.succeeded()) {
      throw new HostNetworkException(
          Commands.render(argv) + " failed: " + Commands.tail(result.stderr() + result.stdout()));
    }
    return result.stdout();
  }

  private void run(List<String> changes, List<String> argv) {
    output(argv);
    changes.add(Commands.render(argv));
  }
}
