package dev.lain.bootstrap;

import dev.lain.model.Ipv4;
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which container network bootstrap sets up, and what it must not overlap (pure): the pool of
 * {@code --container-network}, else the stored one, else 172.20.0.0/16; tunnelled with {@code
 * --ipip} or when the store says so already.
 */
final class NetworkChoice {
  /** Docker's default bridge, docker0, before Docker has run to show its own. */
  static final Cidr DOCKER_DEFAULT_BRIDGE = Cidr.parse("172.17.0.0/16");

  /** The tunnel's port, which nodes must let through from each other (the agent's VXLAN). */
  static final int TUNNEL_PORT = 4789;

  private NetworkChoice() {}

  static NetworkSettings wanted(Options options, Optional<Facts.StoreContents> store) {
    Optional<NetworkSettings> stored = store.flatMap(Facts.StoreContents::containerNetwork);
    AddressPool pool =
        options
            .containerNetwork()
            .map(n -> new AddressPool(n, AddressPool.DEFAULT_BLOCK_PREFIX))
            .or(() -> stored.map(NetworkSettings::pool))
            .orElse(new AddressPool(AddressPool.DEFAULT_NETWORK, AddressPool.DEFAULT_BLOCK_PREFIX));
    boolean ipip = options.ipip() || stored.map(NetworkSettings::ipip).orElse(false);
    return new NetworkSettings(pool, ipip);
  }

  /**
   * What the pool must not overlap on this machine: the node network, and every network of its
   * addresses (Docker's bridge among them) but the container bridge's own.
   */
  static List<AddressPool.Reserved> reserved(Facts facts, Optional<String> nodeNetwork) {
    List<AddressPool.Reserved> reserved = new ArrayList<>();
    nodeNetwork.ifPresent(
        n -> reserved.add(new AddressPool.Reserved("the node network", Cidr.parse(n))));
    boolean docker0 = false;
    for (Facts.HostAddress address : facts.addresses()) {
      if (address.interfaceName().startsWith("lain") || address.ip().startsWith("127.")) {
        // The container bridge and tunnel hold the pool's own addresses after a first run.
        continue;
      }
      docker0 |= address.interfaceName().equals("docker0");
      Cidr network = Cidr.parse(Ipv4.networkOf(address.ip(), address.prefix()));
      String what =
          address.interfaceName().equals("docker0")
              ? "Docker's bridge docker0"
              : address.interfaceName() + "'s network";
      reserved.add(new AddressPool.Reserved(what, network));
    }
    if (!docker0) {
      reserved.add(
          new AddressPool.Reserved("Docker's default bridge docker0", DOCKER_DEFAULT_BRIDGE));
    }
    return reserved;
  }
}
