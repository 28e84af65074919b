package dev.lain.records.network;

import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.RecordException;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's container network in the store: its settings (the pool, the block size, whether
 * traffic between nodes goes over IP-in-IP) at {@code /lain/config/container_network}, and one
 * record a node block at {@code /lain/network/blocks/<a.b.c.d-n>} naming the node that holds it. A
 * block is keyed by its network, so two nodes can never be given the same one: the write that takes
 * it is a create, and a lost race takes the next free block.
 */
public final class ContainerNetworks {
  public static final String SETTINGS_KEY = "/lain/config/container_network";
  public static final String BLOCKS_PREFIX = "/lain/network/blocks/";

  /** How many times a node's block is sought again after another node took the one found. */
  private static final int ASSIGN_ATTEMPTS = 32;

  private final Store store;

  public ContainerNetworks(Store store) {
    this.store = store;
  }

  private record StoredSettings(String network, int blockPrefix, boolean ipip) {}

  private record StoredBlock(String node, String nodeIp) {}

  /** The settings, if the cluster has a container network yet. */
  public Optional<NetworkSettings> settings() {
    return store.get(SETTINGS_KEY).map(kv -> readSettings(kv.value()));
  }

  /**
   * Sets the network up, or confirms it is already so (bootstrap runs again). The pool and block
   * size cannot change once a node holds a block (every address given out would be wrong); {@code
   * ipip} can, and the agents follow.
   *
   * @param reserved networks of this machine the pool must not overlap (Docker's bridge ...); the
   *     cluster's node network, if set, is added
   * @return the settings now in force
   * @throws RecordException INVALID naming every problem of the pool, CONFLICT when the pool is set
   *     otherwise and blocks are given
   */
  public NetworkSettings define(NetworkSettings wanted, List<AddressPool.Reserved> reserved) {
    List<AddressPool.Reserved> all = new ArrayList<>(reserved);
    new ClusterConfigStore(store)
        .load()
        .nodeNetwork()
        .ifPresent(n -> all.add(new AddressPool.Reserved("the node network", n)));
    if (AddressPool.check(wanted.pool().network(), wanted.pool().blockPrefix(), all)
        instanceof AddressPool.Checked.Bad(List<String> problems)) {
      throw RecordException.invalid(String.join("; ", problems));
    }
    while (true) {
      Optional<KeyValue> current = store.get(SETTINGS_KEY);
      if (current.isPresent()) {
        NetworkSettings now = readSettings(current.get().value());
        if (now.equals(wanted)) {
          return now;
        }
        if (!now.pool().equals(wanted.pool()) && !blocks().isEmpty()) {
          throw RecordException.conflict(
              "the cluster's container network is "
                  + now
                  + " and nodes hold blocks of it; it cannot become "
                  + wanted
                  + " (remove every node first, or keep "
                  + now.pool().network()
                  + ")");
        }
      }
      long revision = current.map(KeyValue::modRevision).orElse(0L);
      String json =
          DeploydJson.write(
              new StoredSettings(
                  wanted.pool().network().toString(), wanted.pool().blockPrefix(), wanted.ipip()));
      if (store
          .commit(
              Txn.when(List.of(new Txn.ModRevisionIs(SETTINGS_KEY, revision)))
                  .then(List.of(new Txn.Put(SETTINGS_KEY, json, 0))))
          .succeeded()) {
        return wanted;
      }
    }
  }

  /** Every block given, lowest first; a record that does not read is skipped. */
  public List<NodeBlock> blocks() {
    return readBlocks(store.list(BLOCKS_PREFIX).entries());
  }

  private static List<NodeBlock> readBlocks(List<KeyValue> entries) {
    List<NodeBlock> blocks = new ArrayList<>();
    for (KeyValue kv : entries) {
      readBlock(kv).ifPresent(blocks::add);
    }
    blocks.sort(Comparator.comparing(NodeBlock::network));
    return blocks;
  }

  public Optional<NodeBlock> blockOf(String node) {
    return blocks().stream().filter(b -> b.node().equals(node)).findFirst();
  }

  /**
   * Gives {@code node} a block: the one it holds already (joining again changes nothing), else the
   * lowest free one.
   *
   * @throws RecordException NOT_FOUND without a container network, INVALID when the pool is
   *     exhausted (nothing is written then)
   */
  public NodeBlock assign(String node, String nodeIp) {
    NetworkSettings settings =
        settings()
            .orElseThrow(
                () ->
                    RecordException.notFound(
                        "the cluster has no container network yet (" + SETTINGS_KEY + ")"));
    AddressPool pool = settings.pool();
    for (int attempt = 0; attempt < ASSIGN_ATTEMPTS; attempt++) {
      List<KeyValue> entries = store.list(BLOCKS_PREFIX).entries();
      List<NodeBlock> given = readBlocks(entries);
      Optional<NodeBlock> held = given.stream().filter(b -> b.node().equals(node)).findFirst();
      if (held.isPresent()) {
        return held.get();
      }
      // Every key under the prefix counts as taken, readable or not: never hand out a block twice.
      List<Cidr> taken = new ArrayList<>();
      for (KeyValue kv : entries) {
        if (Cidr.fromKeySegment(kv.key().substring(BLOCKS_PREFIX.length()))
            instanceof Cidr.Read.Ok(Cidr cidr)) {
          taken.add(cidr);
        }
      }
      Optional<Cidr> free = pool.firstFree(taken);
      if (free.isEmpty()) {
        throw RecordException.invalid(
            "the container network "
                + pool.network()
                + " is exhausted: all "
                + pool.blocks()
                + " /"
                + pool.blockPrefix()
                + " blocks are held by nodes ("
                + String.join(", ", given.stream().map(NodeBlock::node).toList())
                + "); remove a node that is gone (lainctl node remove) before adding "
                + node);
      }
      String key = BLOCKS_PREFIX + free.get().keySegment();
      if (store
          .commit(
              Txn.when(List.of(new Txn.ModRevisionIs(key, 0)))
                  .then(
                      List.of(
                          new Txn.Put(key, DeploydJson.write(new StoredBlock(node, nodeIp)), 0))))
          .succeeded()) {
        return new NodeBlock(free.get(), node, nodeIp);
      }
    }
    throw RecordException.conflict(
        "could not give " + node + " a block: other nodes kept taking the free ones; try again");
  }

  /** Takes the node's block back, if it holds one. */
  public Optional<NodeBlock> release(String node) {
    Optional<NodeBlock> held = blockOf(node);
    held.ifPresent(b -> store.delete(BLOCKS_PREFIX + b.network().keySegment()));
    return held;
  }

  private static NetworkSettings readSettings(String json) {
    StoredSettings stored = DeploydJson.read(json, StoredSettings.class);
    Cidr network = Cidr.parse(stored.network());
    return new NetworkSettings(new AddressPool(network, stored.blockPrefix()), stored.ipip());
  }

  private static Optional<NodeBlock> readBlock(KeyValue kv) {
    try {
      Cidr.Read read = Cidr.fromKeySegment(kv.key().substring(BLOCKS_PREFIX.length()));
      if (!(read instanceof Cidr.Read.Ok(Cidr cidr))) {
        return Optional.empty();
      }
      StoredBlock stored = DeploydJson.read(kv.value(), StoredBlock.class);
      return Optional.of(new NodeBlock(cidr, stored.node(), stored.nodeIp()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
