package dev.lain.store;

import java.util.Objects;

/** Key rules and helpers shared by the backends. */
public final class Keys {
  private Keys() {}

  /** Throws if {@code key} is not a valid store key. */
  public static String check(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.charAt(0) != '/') {
      throw new IllegalArgumentException("store keys start with '/': " + key);
    }
    if (key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("store keys may not contain NUL");
    }
    return key;
  }

  /** Throws if {@code prefix} is not a valid prefix ({@code /} alone lists everything). */
  public static String checkPrefix(String prefix) {
    return check(prefix);
  }

  /**
   * The smallest string greater than every string starting with {@code prefix}, or {@code null} if
   * there is none (the prefix ends with U+FFFF): the exclusive end of a prefix range.
   */
  public static String prefixEnd(String prefix) {
    int last = prefix.length() - 1;
    char c = prefix.charAt(last);
    if (c == Character.MAX_VALUE) {
      return null;
    }
    return prefix.substring(0, last) + (char) (c + 1);
  }
}
