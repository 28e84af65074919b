package dev.lain.model;

import java.util.Optional;
import java.util.regex.Pattern;

/** IPv4 addresses and networks as plain numbers (no lookups, unlike {@code InetAddress}). */
public final class Ipv4 {
  private static final Pattern DOTTED =
      Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

  private Ipv4() {}

  /** Why {@code raw} is not a dotted IPv4 address, or empty. */
  public static Optional<String> problem(String raw) {
    if (!DOTTED.matcher(raw).matches()) {
      return Optional.of("'" + raw + "' must be an IPv4 address like 192.168.77.21");
    }
    for (String part : raw.split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return Optional.of("'" + raw + "' has an octet above 255");
      }
    }
    return Optional.empty();
  }

  public static long toLong(String ip) {
    long value = 0;
    for (String part : ip.split("\\.")) {
      value = (value << 8) | Integer.parseInt(part);
    }
    return value;
  }

  public static String fromLong(long value) {
    return ((value >> 24) & 255)
        + "."
        + ((value >> 16) & 255)
        + "."
        + ((value >> 8) & 255)
        + "."
        + (value & 255);
  }

  public static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  /** The network {@code ip/prefix} lies in, e.g. 10.0.0.5/24 -> 10.0.0.0/24. */
  public static String networkOf(String ip, int prefix) {
    return fromLong(toLong(ip) & mask(prefix)) + "/" + prefix;
  }

  /** Whether {@code ip} lies in {@code cidr} (a checked a.b.c.d/n). */
  public static boolean contains(String cidr, String ip) {
    int slash = cidr.indexOf('/');
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    long network = toLong(cidr.substring(0, slash));
    return (toLong(ip) & mask(prefix)) == network;
  }

  public static boolean isLoopback(String ip) {
    return ip.startsWith("127.");
  }
}
