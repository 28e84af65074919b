package dev.lain.hostnetwork;

import dev.lain.model.network.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * LAIN's iptables chains on a node (pure), as {@code iptables -S} prints them so that what the
 * kernel holds compares with what it should hold, and nothing is rewritten that is already right.
 *
 * <pre>
 * filter INPUT       -> LAIN-INPUT       from the pool to this node: replies, and the webrouter's
 *                                         ports; everything else is refused (etcd, console,
 *                                         deployd, agent, registry, sshd, nginx's control port...)
 * filter DOCKER-USER -> LAIN-FORWARD     replies pass; new connections of this node's containers
 *                                         -> LAIN-FROM-APPS; to this node's containers from the
 *                                         pool -> LAIN-APPS, from node addresses (routers) accepted
 *        LAIN-FROM-APPS                  to any node address -> LAIN-NODE-DOORS
 *        LAIN-NODE-DOORS                 the webrouter's ports pass, the rest is refused
 *        LAIN-APPS                       which apps may reach which: today every app (the place
 *                                         for per-app rules, with services and portals)
 * nat POSTROUTING    -> LAIN-POSTROUTING from this node's block to outside the pool: masqueraded
 * </pre>
 *
 * <p>Docker's DOCKER-USER chain is where Docker promises to leave rules alone and to look first.
 *
 * @param filter the filter table's LAIN chains and their rules, in order
 * @param nat the nat table's LAIN chains and their rules
 */
public record Firewall(Map<String, List<String>> filter, Map<String, List<String>> nat) {
  public static final String INPUT = "LAIN-INPUT";
  public static final String FORWARD = "LAIN-FORWARD";
  public static final String FROM_APPS = "LAIN-FROM-APPS";
  public static final String NODE_DOORS = "LAIN-NODE-DOORS";
  public static final String APPS = "LAIN-APPS";
  public static final String POSTROUTING = "LAIN-POSTROUTING";

  /** A built-in (or Docker's) chain and the LAIN chain it jumps to first. */
  public record Jump(String table, String from, String to) {
    public String rule() {
      return "-A " + from + " -j " + to;
    }
  }

  public static final List<Jump> JUMPS =
      List.of(
          new Jump("filter", "INPUT", INPUT),
          new Jump("filter", "DOCKER-USER", FORWARD),
          new Jump("nat", "POSTROUTING", POSTROUTING));

  private static final String REFUSE = " -j REJECT --reject-with icmp-port-unreachable";

  public Firewall {
    filter = copy(filter);
    nat = copy(nat);
  }

  static Firewall of(
      Cidr pool, Cidr block, String bridge, List<String> nodeIps, List<Integer> routerPorts) {
    String ports =
        routerPorts.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    String fromPool = "-s " + pool;
    Map<String, List<String>> filter = new LinkedHashMap<>();
    filter.put(
        INPUT,
        List.of(
            fromPool + " -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
            fromPool + " -p tcp -m multiport --dports " + ports + " -j RETURN",
            fromPool + REFUSE));
    List<String> forward = new ArrayList<>();
    forward.add("-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
    forward.add("-i " + bridge + " -j " + FROM_APPS);
    forward.add(fromPool + " -o " + bridge + " -j " + APPS);
    for (String ip : nodeIps) {
      forward.add("-s " + ip + "/32 -o " + bridge + " -j ACCEPT");
    }
    filter.put(FORWARD, forward);
    filter.put(FROM_APPS, nodeIps.stream().map(ip -> "-d " + ip + "/32 -j " + NODE_DOORS).toList());
    filter.put(
        NODE_DOORS,
        List.of("-p tcp -m multiport --dports " + ports + " -j RETURN", REFUSE.strip()));
    filter.put(APPS, List.of("-j ACCEPT"));
    Map<String, List<String>> nat = new LinkedHashMap<>();
    nat.put(
        POSTROUTING,
        List.of("-s " + block + " -d " + pool + " -j RETURN", "-s " + block + " -j MASQUERADE"));
    return new Firewall(prefixed(filter), prefixed(nat));
  }

  /** The iptables-restore input that sets every LAIN chain of both tables (with --noflush). */
  public String restoreInput() {
    StringBuilder out = new StringBuilder();
    table(out, "filter", filter);
    table(out, "nat", nat);
    return out.toString();
  }

  private static void table(StringBuilder out, String name, Map<String, List<String>> chains) {
    out.append('*').append(name).append('\n');
    chains.keySet().forEach(chain -> out.append(':').append(chain).append(" - [0:0]\n"));
    chains.values().forEach(rules -> rules.forEach(rule -> out.append(rule).append('\n')));
    out.append("COMMIT\n");
  }

  private static Map<String, List<String>> prefixed(Map<String, List<String>> chains) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    chains.forEach(
        (chain, rules) ->
            out.put(chain, rules.stream().map(r -> "-A " + chain + " " + r).toList()));
    return out;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> chains) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    chains.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(out);
  }
}
