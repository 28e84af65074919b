package dev.lain.runtime;

import java.util.Map;
import java.util.Objects;

/** A network as the engine reports it. */
public record NetworkInfo(
    String id,
    String name,
    String subnet,
    String gateway,
    String bridge,
    int mtu,
    Map<String, String> labels) {
  public NetworkInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(bridge, "bridge");
    labels = Map.copyOf(labels);
  }

  /** Whether it is the network {@code spec} asks for (the same addresses, bridge and MTU). */
  public boolean matches(NetworkSpec spec) {
    return subnet.equals(spec.subnet())
        && gateway.equals(spec.gateway())
        && bridge.equals(spec.bridge())
        && mtu == spec.mtu();
  }

  /** Why it cannot serve as the network {@code spec} asks for, for the error. */
  public String mismatch(NetworkSpec spec) {
    return "network "
        + name
        + " exists with subnet "
        + subnet
        + ", gateway "
        + gateway
        + ", bridge "
        + bridge
        + " and MTU "
        + mtu
        + "; wanted "
        + spec.subnet()
        + ", "
        + spec.gateway()
        + ", "
        + spec.bridge()
        + " and "
        + spec.mtu()
        + ": remove it (docker network rm "
        + name
        + ") once no container uses it";
  }
}
