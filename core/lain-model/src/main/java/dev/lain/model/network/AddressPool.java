package dev.lain.model.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's container network: one pool of addresses ({@code 172.20.0.0/16} as in LAIN), cut
 * into equal blocks, one block a node. A node's instances take their addresses from its block, so a
 * route to a block is a route to every instance of that node.
 *
 * @param network the pool
 * @param blockPrefix the prefix length of a node's block ({@code 24}: 254 addresses)
 */
public record AddressPool(Cidr network, int blockPrefix) {
  public static final Cidr DEFAULT_NETWORK = Cidr.parse("172.20.0.0/16");
  public static final int DEFAULT_BLOCK_PREFIX = 24;

  /** A block must leave room for a gateway, a broadcast address and a few instances. */
  public static final int MAX_BLOCK_PREFIX = 28;

  /** Smaller blocks than this would hold more instances than a node runs. */
  public static final int MIN_BLOCK_PREFIX = 16;

  /** Networks no pool may touch, whatever the machine: they mean something to every host. */
  public static final List<Reserved> ALWAYS_RESERVED =
      List.of(
          new Reserved("'this network' (0.0.0.0/8)", Cidr.parse("0.0.0.0/8")),
          new Reserved("the loopback network", Cidr.parse("127.0.0.0/8")),
          new Reserved("the link-local network", Cidr.parse("169.254.0.0/16")),
          new Reserved("the multicast range", Cidr.parse("224.0.0.0/4")),
          new Reserved("the reserved range 240.0.0.0/4", Cidr.parse("240.0.0.0/4")));

  public AddressPool {
    if (blockPrefix < MIN_BLOCK_PREFIX || blockPrefix > MAX_BLOCK_PREFIX) {
      throw new IllegalArgumentException(
          "block prefix must be from " + MIN_BLOCK_PREFIX + " to " + MAX_BLOCK_PREFIX);
    }
    if (network.prefix() > blockPrefix) {
      throw new IllegalArgumentException(network + " holds no /" + blockPrefix + " block");
    }
  }

  /** A network the pool must not overlap, and what it is, for the error. */
  public record Reserved(String what, Cidr network) {}

  /** The pool, or every reason it cannot be one. */
  public sealed interface Checked {
    record Ok(AddressPool pool) implements Checked {}

    record Bad(List<String> problems) implements Checked {
      public Bad {
        problems = List.copyOf(problems);
      }
    }
  }

  /**
   * Checks a pool before anything is written: it must hold at least one block and overlap none of
   * {@code reserved} (the node network, Docker's own bridge ...) nor {@link #ALWAYS_RESERVED}.
   */
  public static Checked check(Cidr network, int blockPrefix, List<Reserved> reserved) {
    List<String> problems = new ArrayList<>();
    if (blockPrefix < MIN_BLOCK_PREFIX || blockPrefix > MAX_BLOCK_PREFIX) {
      problems.add(
          "the block size /"
              + blockPrefix
              + " must be from /"
              + MIN_BLOCK_PREFIX
              + " to /"
              + MAX_BLOCK_PREFIX);
    } else if (network.prefix() > blockPrefix) {
      problems.add(
          "the container network "
              + network
              + " is too small: it must hold at least one /"
              + blockPrefix
              + " block (a node's share), so its prefix must be /"
              + blockPrefix
              + " or shorter");
    }
    List<Reserved> all = new ArrayList<>(ALWAYS_RESERVED);
    all.addAll(reserved);
    for (Reserved r : all) {
      if (network.overlaps(r.network())) {
        problems.add(
            "the container network "
                + network
                + " overlaps "
                + r.what()
                + " "
                + r.network()
                + ": choose a range used by nothing else, e.g. "
                + DEFAULT_NETWORK);
      }
    }
    return problems.isEmpty()
        ? new Checked.Ok(new AddressPool(network, blockPrefix))
        : new Checked.Bad(problems);
  }

  /** How many nodes it has blocks for. */
  public long blocks() {
    return 1L << (blockPrefix - network.prefix());
  }

  /** The {@code n}-th block. */
  public Cidr block(long n) {
    if (n < 0 || n >= blocks()) {
      throw new IllegalArgumentException(n + " is not a block of " + this);
    }
    return new Cidr(network.base() + n * (1L << (32 - blockPrefix)), blockPrefix);
  }

  /** Whether {@code block} is one of the pool's blocks. */
  public boolean isBlock(Cidr block) {
    return block.prefix() == blockPrefix && network.contains(block);
  }

  /** The lowest block none of {@code taken} overlaps, or empty when every one is given. */
  public Optional<Cidr> firstFree(Collection<Cidr> taken) {
    long blockSize = 1L << (32 - blockPrefix);
    long n = 0;
    for (Cidr t : taken.stream().filter(network::overlaps).sorted().toList()) {
      if (n >= blocks()) {
        break;
      }
      Cidr candidate = block(n);
      if (candidate.end() <= t.base()) {
        return Optional.of(candidate);
      }
      if (candidate.base() < t.end()) {
        // The first block that starts at or after the end of t.
        n = Math.max(n, (t.end() - network.base() + blockSize - 1) / blockSize);
      }
    }
    return n < blocks() ? Optional.of(block(n)) : Optional.empty();
  }

  /** The address of a block's gateway (the node's end of its container bridge): its first host. */
  public static String gateway(Cidr block) {
    return block.address(1);
  }

  @Override
  public String toString() {
    return network + " in /" + blockPrefix + " blocks";
  }
}
