package dev.lain.nodeinstall;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node as {@code lainctl node add} names it: {@code NAME:IP}. The IP is a literal (never looked
 * up): it becomes the node IP instances publish on and the SSH address.
 */
public record NodeAddress(String name, String ip) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  public NodeAddress {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ip, "ip");
    if (!NAME.matcher(name).matches()) {
      throw new RemoteException(
          RemoteException.Code.INVALID,
          "bad node name '"
              + name
              + "': letters, digits, '.', '_' and '-', not starting with one"
              + " of the last three");
    }
    if (!isIpLiteral(ip)) {
      throw new RemoteException(
          RemoteException.Code.INVALID, "bad IP '" + ip + "' for node " + name + ": not an IP");
    }
  }

  /** Parses {@code NAME:IP} (an IPv6 IP may follow the first colon as is). */
  public static NodeAddress parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new RemoteException(
          RemoteException.Code.INVALID, "'" + text + "' is not NAME:IP (e.g. node2:192.168.77.22)");
    }
    return new NodeAddress(text.substring(0, colon), text.substring(colon + 1));
  }

  private static boolean isIpLiteral(String ip) {
    if (IPV4.matcher(ip).matches()) {
      return true;
    }
    if (!ip.contains(":") || !ip.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      // With a colon and only hex digits, getByName parses a literal and never asks a resolver.
      return InetAddress.getByName(ip) != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return name + ":" + ip;
  }
}
