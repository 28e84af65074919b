package dev.lain.bootstrap;

import dev.lain.model.DnsNames;
import dev.lain.model.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The node's name, IP and network: as given, else chosen from the machine as LAIN did (host name,
 * the default route's address, that address's network).
 *
 * @param network empty on a single node without {@code --node-network} (nothing else needs it)
 */
public record NodeIdentity(String name, String ip, Optional<String> network) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public NodeIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(network, "network");
  }

  /** The identity, or every reason it cannot be chosen. */
  public sealed interface Resolution {
    record Resolved(NodeIdentity identity) implements Resolution {}

    record Unresolved(List<String> problems) implements Resolution {
      public Unresolved {
        problems = List.copyOf(problems);
      }
    }
  }

  public static Resolution resolve(Options options, Facts facts) {
    List<String> problems = new ArrayList<>();
    Optional<String> name = options.nodeName().or(() -> nameFromHost(facts.hostname(), problems));
    Optional<String> ip = options.nodeIp().or(() -> defaultIp(options, facts, problems));
    Optional<String> network = options.nodeNetwork();
    if (network.isEmpty() && options.mode() == Mode.CLUSTER && ip.isPresent()) {
      network = Optional.of(networkOf(ip.get(), facts));
    }
    if (!problems.isEmpty()) {
      return new Resolution.Unresolved(problems);
    }
    return new Resolution.Resolved(new NodeIdentity(name.orElseThrow(), ip.orElseThrow(), network));
  }

  /** The first label of the host name, the way {@code hostname -s} shortens it. */
  private static Optional<String> nameFromHost(String hostname, List<String> problems) {
    String shortName = DnsNames.normalize(hostname).split("\\.", 2)[0];
    if (!NAME.matcher(shortName).matches()) {
      problems.add(
          "the host name '"
              + hostname
              + "' is not a valid node name: pass -n/--node-name NAME (a lower-case DNS label)");
      return Optional.empty();
    }
    return Optional.of(shortName);
  }

  private static Optional<String> defaultIp(Options options, Facts facts, List<String> problems) {
    if (options.mode() == Mode.SINGLE_NODE) {
      // Instances publish on the node IP: loopback keeps them behind the webrouter.
      return Optional.of("127.0.0.1");
    }
    Optional<String> found =
        facts
            .defaultInterface()
            .flatMap(
                dev ->
                    facts.addresses().stream()
                        .filter(a -> a.interfaceName().equals(dev))
                        .map(Facts.HostAddress::ip)
                        .findFirst());
    if (found.isEmpty()) {
      problems.add(
          "cannot choose the node IP: "
              + facts
                  .defaultInterface()
                  .map(d -> d + ", the default route's interface, has no IPv4 address")
                  .orElse("this machine has no default route")
              + "; pass --node-ip IP");
    }
    return found;
  }

  /** The network of the interface holding {@code ip}; LAIN's {@code /24} guess otherwise. */
  private static String networkOf(String ip, Facts facts) {
    return facts.addresses().stream()
        .filter(a -> a.ip().equals(ip))
        .map(Facts.HostAddress::network)
        .findFirst()
        .orElse(Ipv4.networkOf(ip, 24));
  }
}
