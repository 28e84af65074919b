package dev.lain.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host name rules. Names that pass are safe to place verbatim into an nginx config or a file name:
 * lower-case ASCII letters, digits, hyphens and dots only.
 */
public final class DnsNames {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final int MAX_LENGTH = 253;

  private DnsNames() {}

  /** Lower-cases a host name (DNS names are case-insensitive). */
  public static String normalize(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Why {@code name} is not a valid host name, or empty if it is. The name is checked as given:
   * normalise it first to accept upper case.
   */
  public static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      if (!ok) {
        return Optional.of(
            "contains "
                + Characters.describe(c)
                + " (only lower-case letters, digits, '-' and '.' are allowed)");
      }
    }
    if (name.startsWith(".") || name.endsWith(".")) {
      return Optional.of("starts or ends with '.'");
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty()) {
        return Optional.of("has an empty label ('..')");
      }
      if (label.length() > 63) {
        return Optional.of("has a label longer than 63 characters");
      }
      if (!LABEL.matcher(label).matches()) {
        return Optional.of("has a label starting or ending with '-': " + label);
      }
    }
    return Optional.empty();
  }

  public static boolean isValid(String name) {
    return problem(name).isEmpty();
  }

  /** True if {@code host} is {@code domain} or a sub-domain of it. */
  public static boolean isWithin(String host, String domain) {
    return host.equals(domain) || host.endsWith("." + domain);
  }
}
