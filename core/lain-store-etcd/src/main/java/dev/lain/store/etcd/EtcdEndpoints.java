package dev.lain.store.etcd;

import dev.lain.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The etcd members named by a store URL {@code etcd://host:port[,host:port...]}.
 *
 * @param hostPorts each member as {@code host:port} ({@code [v6-address]:port} for IPv6)
 */
record EtcdEndpoints(List<String> hostPorts) {
  static final String SCHEME = "etcd";
  private static final String PREFIX = SCHEME + "://";
  private static final String EXAMPLE = "etcd://127.0.0.1:2379[,host:port...]";
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+\\]");

  EtcdEndpoints {
    hostPorts = List.copyOf(hostPorts);
    if (hostPorts.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoints");
    }
  }

  /**
   * Parses a store URL.
   *
   * @throws StoreException with {@link StoreException.Code#INVALID_URL} naming what is wrong
   */
  static EtcdEndpoints parse(String url) {
    if (url == null || !url.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
      throw invalid(url, "an etcd store URL starts with " + PREFIX);
    }
    String rest = url.substring(PREFIX.length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.indexOf('@') >= 0) {
      throw invalid(url, "credentials in the URL are not supported");
    }
    if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
      throw invalid(url, "query parameters and fragments are not supported");
    }
    if (rest.indexOf('/') >= 0) {
      throw invalid(url, "a path after the endpoints is not supported");
    }
    if (rest.isBlank()) {
      throw invalid(url, "no endpoint given");
    }
    List<String> hostPorts = new ArrayList<>();
    for (String endpoint : rest.split(",", -1)) {
      hostPorts.add(checkEndpoint(url, endpoint.strip()));
    }
    return new EtcdEndpoints(hostPorts.stream().distinct().toList());
  }

  /** The client URLs jetcd connects to: {@code http://host:port}. */
  List<String> clientUrls() {
    return hostPorts.stream().map(hostPort -> "http://" + hostPort).toList();
  }

  @Override
  public String toString() {
    return String.join(",", hostPorts);
  }

  private static String checkEndpoint(String url, String endpoint) {
    if (endpoint.isEmpty()) {
      throw invalid(url, "empty endpoint in the list (two commas, or a trailing comma?)");
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0 || (endpoint.startsWith("[") && colon < endpoint.indexOf(']'))) {
      throw invalid(url, "endpoint '" + endpoint + "' has no port (expected host:port)");
    }
    String host = endpoint.substring(0, colon);
    String port = endpoint.substring(colon + 1);
    if (host.isEmpty()) {
      throw invalid(url, "endpoint '" + endpoint + "' has no host");
    }
    if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      throw invalid(
          url,
          "endpoint '"
              + endpoint
              + "' has an invalid host '"
              + host
              + "' (a name, an IPv4 address or [IPv6])");
    }
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      throw invalid(url, "endpoint '" + endpoint + "' has an invalid port '" + port + "'");
    }
    int number = Integer.parseInt(port);
    if (number < 1 || number > 65535) {
      throw invalid(url, "endpoint '" + endpoint + "' has port " + number + " (not 1-65535)");
    }
    return host + ":" + number;
  }

  private static StoreException invalid(String url, String why) {
    return new StoreException(
        StoreException.Code.INVALID_URL,
        "invalid etcd store URL '" + url + "': " + why + " (expected " + EXAMPLE + ")");
  }
}
