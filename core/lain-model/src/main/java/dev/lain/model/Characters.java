package dev.lain.model;

/** How messages name a character a rule refused. */
public final class Characters {
  private Characters() {}

  /** {@code 'x'}, {@code a space}, {@code a line break}, {@code control character U+0007}... */
  public static String describe(int c) {
    if (c == ' ') {
      return "a space";
    }
    if (c == '\n' || c == '\r') {
      return "a line break";
    }
    if (c == '\t') {
      return "a tab";
    }
    if (Character.isISOControl(c) || Character.isWhitespace(c)) {
      return String.format("control character U+%04X", c);
    }
    return "'" + Character.toString(c) + "'";
  }
}
