package dev.lain.model.network;

import java.util.Objects;

/** A node's share of the pool, and the node address other nodes reach it through. */
public record NodeBlock(Cidr network, String node, String nodeIp) {
  public NodeBlock {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(nodeIp, "nodeIp");
  }

  /** The node's end of its container bridge. */
  public String gateway() {
    return AddressPool.gateway(network);
  }
}
