package dev.lain.router.render;

import java.util.Objects;

/**
 * An address and port nginx listens on: {@code 0.0.0.0:80} in production, {@code 127.0.0.1:18080}
 * in tests.
 *
 * @param address an IPv4 or IPv6 literal (IPv6 without brackets), or {@code *} for every address
 * @param port 1-65535
 */
public record Listen(String address, int port) {
  public Listen {
    Objects.requireNonNull(address, "address");
    if (!address.equals("*") && !Inputs.isIpv4(address) && !Inputs.isIpv6(address)) {
      throw new IllegalArgumentException(
          "listen address " + Inputs.quote(address) + " is not '*' or an IP address");
    }
    Inputs.portProblem(port)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("listen " + p);
            });
  }

  /** Every IPv4 address of the machine on {@code port}. */
  public static Listen any(int port) {
    return new Listen("0.0.0.0", port);
  }

  /** As nginx's {@code listen} directive writes it: {@code 127.0.0.1:80}, {@code [::1]:80}. */
  public String nginx() {
    return address.equals("*") ? "*:" + port : Inputs.hostPort(address, port);
  }

  /** True if nginx could not bind both: same port, and same address or a wildcard covering both. */
  boolean overlaps(Listen other) {
    if (port != other.port) {
      return false;
    }
    return address.equals(other.address)
        || address.equals("*")
        || other.address.equals("*")
        || (address.equals("0.0.0.0") && Inputs.isIpv4(other.address))
        || (other.address.equals("0.0.0.0") && Inputs.isIpv4(address))
        || (address.equals("::") && Inputs.isIpv6(other.address))
        || (other.address.equals("::") && Inputs.isIpv6(address));
  }

  @Override
  public String toString() {
    return nginx();
  }
}
