package dev.lain.model.network;

import dev.lain.model.Ipv4;
import java.util.Optional;

/**
 * An IPv4 network in CIDR form, {@code 172.20.0.0/16}: its first address as a number and its prefix
 * length. Always canonical (no host bits set).
 */
public record Cidr(long base, int prefix) implements Comparable<Cidr> {
  public Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length must be from 0 to 32: " + prefix);
    }
    if (base < 0 || base > 0xFFFFFFFFL || (base & ~Ipv4.mask(prefix)) != 0) {
      throw new IllegalArgumentException(
          "not the first address of a /" + prefix + ": " + Ipv4.fromLong(base));
    }
  }

  /** The result of reading a CIDR: the network, or why the text is not one. */
  public sealed interface Read {
    record Ok(Cidr cidr) implements Read {}

    record Bad(String problem) implements Read {}
  }

  /**
   * Reads {@code a.b.c.d/n}; the problem names the text and, for host bits set, the network meant.
   */
  public static Read read(String raw) {
    int slash = raw.indexOf('/');
    if (slash < 0) {
      return new Read.Bad("'" + raw + "' must be a network in CIDR form, e.g. 192.168.77.0/24");
    }
    String ip = raw.substring(0, slash);
    String bits = raw.substring(slash + 1);
    Optional<String> ipProblem = Ipv4.problem(ip);
    if (ipProblem.isPresent()) {
      return new Read.Bad(ipProblem.get());
    }
    if (!bits.matches("[0-9]{1,2}") || Integer.parseInt(bits) > 32) {
      return new Read.Bad("prefix length '" + bits + "' must be a number from 0 to 32");
    }
    int prefix = Integer.parseInt(bits);
    long address = Ipv4.toLong(ip);
    Cidr network = new Cidr(address & Ipv4.mask(prefix), prefix);
    if (network.base() != address) {
      return new Read.Bad("'" + raw + "' has host bits set: did you mean " + network + "?");
    }
    return new Read.Ok(network);
  }

  /** {@link #read} for text already checked (a stored record); throws on anything else. */
  public static Cidr parse(String raw) {
    return switch (read(raw)) {
      case Read.Ok ok -> ok.cidr();
      case Read.Bad bad -> throw new IllegalArgumentException(bad.problem());
    };
  }

  /** How many addresses it spans. */
  public long size() {
    return 1L << (32 - prefix);
  }

  /** The address after its last one. */
  public long end() {
    return base + size();
  }

  public boolean contains(long address) {
    return address >= base && address < end();
  }

  public boolean contains(String address) {
    return contains(Ipv4.toLong(address));
  }

  public boolean contains(Cidr other) {
    return other.base >= base && other.end() <= end();
  }

  public boolean overlaps(Cidr other) {
    return base < other.end() && other.base < end();
  }

  /** The {@code n}-th address of the network (0 is the network's own address). */
  public String address(long n) {
    if (n < 0 || n >= size()) {
      throw new IllegalArgumentException(n + " is outside " + this);
    }
    return Ipv4.fromLong(base + n);
  }

  /** Its text with the slash made a dash, {@code 172.20.3.0-24}: a safe store key segment. */
  public String keySegment() {
    return Ipv4.fromLong(base) + "-" + prefix;
  }

  /** The inverse of {@link #keySegment()}. */
  public static Read fromKeySegment(String segment) {
    int dash = segment.lastIndexOf('-');
    if (dash < 0) {
      return new Read.Bad("'" + segment + "' is not a network written as a.b.c.d-n");
    }
    return read(segment.substring(0, dash) + "/" + segment.substring(dash + 1));
  }

  @Override
  public int compareTo(Cidr other) {
    int byBase = Long.compare(base, other.base);
    return byBase != 0 ? byBase : Integer.compare(prefix, other.prefix);
  }

  @Override
  public String toString() {
    return Ipv4.fromLong(base) + "/" + prefix;
  }
}
