package dev.lain.daemon;

/** {@code HOST:PORT} option values. */
final class HostPort {
  private HostPort() {}

  static String host(String value, String option) {
    return value.substring(0, colon(value, option));
  }

  static int port(String value, String option) {
    try {
      int port = Integer.parseInt(value.substring(colon(value, option) + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " must be HOST:PORT with a port 0-65535, not '" + value + "'");
    }
  }

  private static int colon(String value, String option) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(option + " must be HOST:PORT, not '" + value + "'");
    }
    return colon;
  }
}
