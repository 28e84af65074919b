package dev.lain.tls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the certificate for a host from {@code /lain/config/ssl}, a map from host pattern to
 * certificate name. A pure function.
 *
 * <p>Patterns are shell globs as in LAIN's webrouter (Python {@code fnmatch}), matched against the
 * whole host name, case-insensitively: {@code *} matches any run of characters including dots and
 * the empty one ({@code *.lain.local} matches {@code a.b.lain.local}), {@code ?} matches one
 * character, {@code [abc]}, {@code [a-z]} and {@code [!abc]} match one character from (or not from)
 * a set; an unclosed {@code [} is a literal. A pattern without any of these is an exact host.
 *
 * <p>LAIN took the first matching key in its map's (unspecified) order. Here the result does not
 * depend on order:
 *
 * <ol>
 *   <li>an exact key equal to the host wins;
 *   <li>otherwise, among the glob keys that match, the most specific one wins: the one with the
 *       most literal characters (characters that are not {@code *}, {@code ?} or a {@code [...]}
 *       set), then the one with fewer {@code *}, then the one with fewer single-character wildcards
 *       ({@code ?} and sets), then the smallest pattern text;
 *   <li>keys whose certificate is not available are passed over, so a pattern naming a missing
 *       certificate lets the next best one serve.
 * </ol>
 *
 * For example, {@code a.example.com} gets the certificate of {@code a.example.com} over {@code
 * [ab].example.com} over {@code ?.example.com} over {@code *.example.com} over {@code *.com} over
 * {@code *}.
 */
public final class CertificateSelection {
  private CertificateSelection() {}

  /**
   * The name of the certificate that serves {@code host}.
   *
   * @param sslMap {@code /lain/config/ssl}: pattern or exact host to certificate name
   * @param available the names of the certificates that exist
   */
  public static Optional<String> certificateFor(
      String host, Map<String, String> sslMap, Set<String> available) {
    String name = normalise(host);
    Candidate best = null;
    for (Map.Entry<String, String> entry : sslMap.entrySet()) {
      if (!available.contains(entry.getValue())) {
        continue;
      }
      Glob glob = Glob.parse(normalise(entry.getKey()));
      if (!glob.matches(name)) {
        continue;
      }
      Candidate candidate = new Candidate(glob, entry.getValue());
      if (best == null || Candidate.MOST_SPECIFIC_FIRST.compare(candidate, best) < 0) {
        best = candidate;
      }
    }
    return Optional.ofNullable(best).map(Candidate::certificate);
  }

  /** Whether {@code pattern} matches the whole of {@code host}, by the rules above. */
  public static boolean matches(String pattern, String host) {
    return Glob.parse(normalise(pattern)).matches(normalise(host));
  }

  /** The patterns of {@code sslMap} that point to {@code certificate}, sorted. */
  public static List<String> patternsFor(String certificate, Map<String, String> sslMap) {
    return sslMap.entrySet().stream()
        .filter(e -> e.getValue().equals(certificate))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  private static String normalise(String host) {
    String lower = host.strip().toLowerCase(Locale.ROOT);
    // "example.com." is the same host as "example.com".
    return lower.endsWith(".") && lower.length() > 1
        ? lower.substring(0, lower.length() - 1)
        : lower;
  }

  private record Candidate(Glob glob, String certificate) {
    static final Comparator<Candidate> MOST_SPECIFIC_FIRST =
        Comparator.comparing((Candidate c) -> !c.glob.isExact())
            .thenComparingLong(c -> -c.glob.count(Literal.class))
            .thenComparingLong(c -> c.glob.count(Star.class))
            .thenComparingLong(c -> c.glob.count(AnyOne.class))
            .thenComparingLong(c -> c.glob.count(CharSet.class))
            .thenComparing(c -> c.glob.text());
  }

  /** A parsed fnmatch pattern. */
  private record Glob(String text, List<Token> tokens) {
    static Glob parse(String pattern) {
      List<Token> tokens = new ArrayList<>();
      int i = 0;
      while (i < pattern.length()) {
        char c = pattern.charAt(i);
        if (c == '*') {
          // Adjacent stars match what one star matches.
          if (tokens.isEmpty() || !(tokens.getLast() instanceof Star)) {
            tokens.add(new Star());
          }
          i++;
        } else if (c == '?') {
          tokens.add(new AnyOne());
          i++;
        } else if (c == '[') {
          int end = closing(pattern, i);
          if (end < 0) {
            tokens.add(new Literal(c));
            i++;
          } else {
            tokens.add(CharSet.parse(pattern.substring(i + 1, end)));
            i = end + 1;
          }
        } else {
          tokens.add(new Literal(c));
          i++;
        }
      }
      return new Glob(pattern, List.copyOf(tokens));
    }

    /** The index of the {@code ]} closing the set opened at {@code open}, or -1 (as fnmatch). */
    private static int closing(String pattern, int open) {
      int j = open + 1;
      if (j < pattern.length() && pattern.charAt(j) == '!') {
        j++;
      }
      if (j < pattern.length() && pattern.charAt(j) == ']') {
        j++;
      }
      while (j < pattern.length() && pattern.charAt(j) != ']') {
        j++;
      }
      return j < pattern.length() ? j : -1;
    }

    boolean isExact() {
      return tokens.stream().allMatch(t -> t instanceof Literal);
    }

    long count(Class<? extends Token> kind) {
      return tokens.stream().filter(kind::isInstance).count();
    }

    /** Whole-string match with backtracking to the last star only: linear-ish, no regex. */
    boolean matches(String s) {
      int t = 0;
      int i = 0;
      int starToken = -1;
      int starFrom = 0;
      while (i < s.length()) {
        if (t < tokens.size()
            && !(tokens.get(t) instanceof Star)
            && tokens.get(t).accepts(s.charAt(i))) {
          t++;
          i++;
        } else if (t < tokens.size() && tokens.get(t) instanceof Star) {
          starToken = t++;
          starFrom = i;
        } else if (starToken >= 0) {
          t = starToken + 1;
          i = ++starFrom;
        } else {
          return false;
        }
      }
      while (t < tokens.size() && tokens.get(t) instanceof Star) {
        t++;
      }
      return t == tokens.size();
    }
  }

  private sealed interface Token permits Literal, Star, AnyOne, CharSet {
    boolean accepts(char c);
  }

  private record Literal(char c) implements Token {
    @Override
    public boolean accepts(char other) {
      return c == other;
    }
  }

  private record Star() implements Token {
    @Override
    public boolean accepts(char c) {
      return true;
    }
  }

  private record AnyOne() implements Token {
    @Override
    public boolean accepts(char c) {
      return true;
    }
  }

  /** {@code [...]}: single characters and ranges {@code a-z}, negated by a leading {@code !}. */
  private record CharSet(boolean negated, String members) implements Token {
    static CharSet parse(String body) {
      boolean negated = body.startsWith("!");
      return new CharSet(negated, negated ? body.substring(1) : body);
    }

    @Override
    public boolean accepts(char c) {
      boolean in = false;
      for (int i = 0; i < members.length() && !in; i++) {
        if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
          in = members.charAt(i) <= c && c <= members.charAt(i + 2);
          i += 2;
        } else {
          in = members.charAt(i) == c;
        }
      }
      return in != negated;
    }
  }
}
