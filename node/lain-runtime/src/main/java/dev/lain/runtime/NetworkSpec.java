package dev.lain.runtime;

import dev.lain.model.Ipv4;
import dev.lain.model.network.Cidr;
import java.util.Map;
import java.util.Objects;

/**
 * A bridge network of the node's own with a fixed subnet: the node's block of the cluster's
 * container network, so that every instance has an address routable across the cluster.
 *
 * @param subnet in CIDR form, {@code 172.20.3.0/24}
 * @param gateway the bridge's own address in {@code subnet}
 * @param bridge the Linux bridge's name (at most 15 characters)
 * @param mtu the containers' MTU: the node's, less the tunnel header when traffic is tunnelled
 * @param masquerade whether the engine masquerades what leaves the bridge (off when the agent keeps
 *     its own rule that leaves traffic between containers of the cluster untouched)
 */
public record NetworkSpec(
    String name,
    String subnet,
    String gateway,
    String bridge,
    int mtu,
    boolean masquerade,
    Map<String, String> labels) {
  public NetworkSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(bridge, "bridge");
    if (bridge.isEmpty() || bridge.length() > 15) {
      throw new IllegalArgumentException("a bridge name has 1 to 15 characters: '" + bridge + "'");
    }
    if (mtu < 576 || mtu > 65535) {
      throw new IllegalArgumentException("MTU must be from 576 to 65535: " + mtu);
    }
    Cidr network = Cidr.parse(subnet);
    Ipv4.problem(gateway)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("gateway: " + p);
            });
    if (!network.contains(gateway)) {
      throw new IllegalArgumentException("gateway " + gateway + " is outside " + subnet);
    }
    labels = Map.copyOf(labels);
  }
}
