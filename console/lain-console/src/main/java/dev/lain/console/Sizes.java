package dev.lain.console;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** LAIN's memory sizes: {@code 64m}, {@code 1g} (m = MiB, g = GiB), as lain.yaml writes them. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,9})([mMgG])");

  /**
   * Docker refuses a smaller limit (LAIN's CLI asked for 4M, but a 4m or 5m container would only
   * fail to start on its node, long after the console said yes).
   */
  static final long MIN_BYTES = 6L << 20;

  /** Far beyond any node; keeps arithmetic on the value safe. */
  static final long MAX_BYTES = 1L << 40;

  private Sizes() {}

  static long parseMemory(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw ConsoleException.invalid(
          "bad memory '" + Names.shorten(text) + "': expected <n>m or <n>g, e.g. 64m or 1g");
    }
    long amount = Long.parseLong(m.group(1));
    long bytes = amount << (m.group(2).equalsIgnoreCase("g") ? 30 : 20);
    if (bytes < MIN_BYTES) {
      throw ConsoleException.invalid("memory " + text + " is below docker's minimum of 6m");
    }
    if (bytes > MAX_BYTES) {
      throw ConsoleException.invalid("memory " + text + " is more than 1024g");
    }
    return bytes;
  }

  /** The shortest LAIN size for {@code bytes}, or the plain byte count when there is none. */
  static String format(long bytes) {
    if (bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "g";
    }
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "m";
    }
    return Long.toString(bytes);
  }
}
