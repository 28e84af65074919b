package dev.lain.daemon;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sizes ({@code 512m}, {@code 4g}) and durations ({@code 500ms}, {@code 10s}, {@code 2m}).
 */
final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Units() {}

  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size: use e.g. 512m or 4g");
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    return n << shift;
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: use e.g. 500ms, 10s or 2m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
