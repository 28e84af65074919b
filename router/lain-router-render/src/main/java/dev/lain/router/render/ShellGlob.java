package dev.lain.router.render;

import java.util.Comparator;

/**
 * The shell-glob patterns of {@code /lain/config/ssl}, as LAIN matched them with {@code fnmatch}:
 * {@code *} matches any run of characters, dots included; {@code ?} matches one character;
 * everything else matches itself. (fnmatch's {@code [...]} classes are not supported.)
 */
final class ShellGlob {
  /**
   * More specific first: more literal characters, then fewer wildcards, then fewer {@code *} (a
   * {@code ?} is narrower), then the pattern text; so {@code api.example.com} beats {@code
   * ?.example.com}, which beats {@code *.example.com}, which beats {@code *.com} and {@code *}.
   */
  static final Comparator<String> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt(ShellGlob::literalCount)
          .reversed()
          .thenComparingInt(ShellGlob::wildcardCount)
          .thenComparingInt(ShellGlob::starCount)
          .thenComparing(Comparator.naturalOrder());

  private ShellGlob() {}

  /**
   * True if {@code pattern} matches all of {@code text}. Linear backtracking over the last star: no
   * regular expression, so no pattern can make it slow.
   */
  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  static int wildcardCount(String pattern) {
    int n = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?') {
        n++;
      }
    }
    return n;
  }

  static int starCount(String pattern) {
    return (int) pattern.chars().filter(c -> c == '*').count();
  }

  static int literalCount(String pattern) {
    return pattern.length() - wildcardCount(pattern);
  }
}
