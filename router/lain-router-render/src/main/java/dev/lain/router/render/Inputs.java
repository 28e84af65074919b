package dev.lain.router.render;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks for every piece of input that is written verbatim into the config. Each accepts a small
 * character set that cannot end a token, a directive or a block in nginx's syntax ({@code ;},
 * {@code {}, {@code }}, quotes, white space, {@code #}, {@code $}, backslash): whatever passes is
 * safe to write unquoted.
 */
final class Inputs {
  private static final Pattern POD_GROUP = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,198}[a-z0-9])?");
  private static final Pattern CERTIFICATE_NAME =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
  private static final Pattern FILE_PATH = Pattern.compile("/[A-Za-z0-9._/@+,=:-]{0,1000}");
  private static final Pattern SSL_PATTERN = Pattern.compile("[A-Za-z0-9.*?-]{1,253}");

  private Inputs() {}

  /** Why {@code podGroup} cannot name an upstream, or empty. */
  static Optional<String> podGroupProblem(String podGroup) {
    if (POD_GROUP.matcher(podGroup).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "may only have lower-case letters, digits, '.', '_' and '-', and must start and end with a"
            + " letter or digit (at most 200 characters)");
  }

  /** Why {@code port} is not a TCP port, or empty. */
  static Optional<String> portProblem(int port) {
    return port >= 1 && port <= 65535
        ? Optional.empty()
        : Optional.of("port " + port + " is not in 1-65535");
  }

  /** True for a certificate name that is safe as a file name in the certificate directory. */
  static boolean isCertificateName(String name) {
    return CERTIFICATE_NAME.matcher(name).matches();
  }

  /**
   * True for an SSL pattern of DNS characters (either case) and the wildcards {@code *} and {@code
   * ?}.
   */
  static boolean isSslPattern(String pattern) {
    return SSL_PATTERN.matcher(pattern).matches();
  }

  /** Why {@code path} cannot be written into the config as a file path, or empty. */
  static Optional<String> filePathProblem(String path) {
    if (FILE_PATH.matcher(path).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "must be an absolute path of letters, digits and ._/@+,=:- only (it goes into the nginx"
            + " config verbatim)");
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < part.length(); i++) {
        if (part.charAt(i) < '0' || part.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** An IPv6 literal without brackets or zone, optionally ending in an IPv4 address. */
  static boolean isIpv6(String s) {
    if (s.length() < 2 || s.length() > 45) {
      return false;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String head = gap >= 0 ? s.substring(0, gap) : s;
    String tail = gap >= 0 ? s.substring(gap + 2) : "";
    int headGroups = countGroups(head, gap < 0);
    int tailGroups = gap >= 0 ? countGroups(tail, true) : 0;
    if (headGroups < 0 || tailGroups < 0) {
      return false;
    }
    int groups = headGroups + tailGroups;
    return gap >= 0 ? groups <= 7 : groups == 8;
  }

  /**
   * The number of 16-bit groups in a colon-separated run, an IPv4 tail counting as two, or -1 if
   * the run is malformed. {@code mayEndInIpv4} is true for the last run of the address.
   */
  private static int countGroups(String run, boolean mayEndInIpv4) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] groups = run.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      if (i == groups.length - 1 && mayEndInIpv4 && group.contains(".")) {
        if (!isIpv4(group)) {
          return -1;
        }
        count += 2;
        continue;
      }
      if (group.isEmpty() || group.length() > 4) {
        return -1;
      }
      for (int j = 0; j < group.length(); j++) {
        char c = group.charAt(j);
        boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex) {
          return -1;
        }
      }
      count++;
    }
    return count;
  }

  /** Why {@code ip} is not an IP literal, or empty. */
  static Optional<String> ipProblem(String ip) {
    return isIpv4(ip) || isIpv6(ip)
        ? Optional.empty()
        : Optional.of("is not an IPv4 or IPv6 address");
  }

  /** {@code ip:port}, with brackets around an IPv6 address. */
  static String hostPort(String ip, int port) {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }

  /**
   * Input text for a warning: in single quotes, with anything outside printable ASCII (line breaks
   * included) escaped as {@code \}{@code uXXXX}, and cut after 80 characters, so that a warning is
   * always one harmless log line.
   */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("'");
    int limit = Math.min(text.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > limit) {
      out.append("...");
    }
    return out.append('\'').toString();
  }
}
