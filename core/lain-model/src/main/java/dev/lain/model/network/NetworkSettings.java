package dev.lain.model.network;

import java.util.Objects;

/**
 * What the cluster's container network is: the pool its nodes' blocks are cut from, and whether
 * traffic between nodes is tunnelled ({@code --ipip}) so that the wire carries only node addresses.
 */
public record NetworkSettings(AddressPool pool, boolean ipip) {
  public NetworkSettings {
    Objects.requireNonNull(pool, "pool");
  }

  @Override
  public String toString() {
    return pool.network()
        + " (a /"
        + pool.blockPrefix()
        + " per node"
        + (ipip ? ", tunnelled between nodes" : "")
        + ")";
  }
}
