package dev.lain.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateSelectionTest {
  private static final Map<String, String> BOOTSTRAP =
      Map.of("*.lain", "web", "*.lain.local", "web");

  @ParameterizedTest(name = "{0} under LAIN''s bootstrap map -> {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        "console.lain.local,     web",
        "registry.lain.local,    web",
        "a.b.c.lain.local,       web", // * crosses dots, as fnmatch did
        "Console.LAIN.local,     web", // host names are case-insensitive
        "console.lain.local.,    web", // a trailing dot names the same host
        "lainlet.lain,           web",
        "lain.local,             none", // '*.' needs the dot: the bare domain is not covered
        "lain,                   none",
        "example.com,            none",
        "console.lain.local.cn,  none", // the whole host must match
        "notlain,                none",
      })
  void lainsBootstrapDefaultServesTheClusterDomains(String host, String expected) {
    assertThat(CertificateSelection.certificateFor(host, BOOTSTRAP, Set.of("web")))
        .isEqualTo(Optional.ofNullable(expected));
  }

  /** Every pattern points to a certificate named after it, so the winner is visible. */
  private static final List<String> PATTERNS =
      List.of(
          "*",
          "*.com",
          "*.example.com",
          "?.example.com",
          "a.example.com",
          "*e.com",
          "a*.example.com",
          "[ab].example.com",
          "*.*.com",
          "blog.*.com",
          "blog.example.co?",
          "[!x]*.example.org",
          "a.*.com",
          "*.b.com");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        "a.example.com,          a.example.com", // an exact key wins over every glob
        "b.example.com,          [ab].example.com", // a set is more specific than '?'
        "c.example.com,          ?.example.com", // '?' is more specific than '*'
        "a.b.com,                *.b.com", // a tie on every count: the pattern text decides
        "ab.example.com,         a*.example.com", // 13 literals beat *.example.com's 12
        "xyz.example.com,        *.example.com",
        "blog.example.com,       blog.example.co?", // 15 literals beat blog.*.com's 9
        "blog.other.com,         blog.*.com",
        "deep.sub.example.com,   *.example.com",
        "x.y.com,                *.*.com", // 5 literals beat *.com's 4
        "shop.com,               *.com",
        "example.org,            *",
        "a.example.org,          [!x]*.example.org",
        "x.example.org,          *",
      })
  void theMostSpecificMatchingPatternWins(String host, String expected) {
    Map<String, String> ssl = new LinkedHashMap<>();
    PATTERNS.forEach(p -> ssl.put(p, p));

    assertThat(CertificateSelection.certificateFor(host, ssl, Set.copyOf(PATTERNS)))
        .isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void theResultDoesNotDependOnTheMapsOrder() {
    Map<String, String> forward = new LinkedHashMap<>();
    Map<String, String> backward = new LinkedHashMap<>();
    PATTERNS.forEach(p -> forward.put(p, p));
    PATTERNS.reversed().forEach(p -> backward.put(p, p));
    Set<String> all = Set.copyOf(PATTERNS);

    for (String host :
        List.of("a.example.com", "b.example.com", "x.y.com", "blog.other.com", "q.example.org")) {
      assertThat(CertificateSelection.certificateFor(host, backward, all))
          .as(host)
          .isEqualTo(CertificateSelection.certificateFor(host, forward, all));
    }
  }

  @Test
  void patternsNamingAMissingCertificateArePassedOver() {
    Map<String, String> ssl =
        Map.of("blog.example.com", "blog", "*.example.com", "wildcard", "*", "fallback");

    assertThat(
            CertificateSelection.certificateFor(
                "blog.example.com", ssl, Set.of("wildcard", "fallback")))
        .contains("wildcard");
    assertThat(CertificateSelection.certificateFor("blog.example.com", ssl, Set.of("fallback")))
        .contains("fallback");
    assertThat(CertificateSelection.certificateFor("blog.example.com", ssl, Set.of())).isEmpty();
  }

  @Test
  void anEmptyMapServesNothing() {
    assertThat(CertificateSelection.certificateFor("a.lain.local", Map.of(), Set.of("web")))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "*.lain.local,     a.lain.local,       true",
    "*.lain.local,     .lain.local,        true", // * matches the empty run, as fnmatch
    "*lain.local,      lain.local,         true",
    "*.lain.local,     lain.local,         false",
    "?.lain,           a.lain,             true",
    "?.lain,           ab.lain,            false",
    "?.lain,           .lain,              false",
    "a**b,             ab,                 true",
    "*a*b*,            xxaxxbxx,           true",
    "*a*b,             xxaxxbxxb,          true",
    "*a*b,             xxaxxbxxa,          false",
    "[a-c]x,           bx,                 true",
    "[a-c]x,           dx,                 false",
    "[!a-c]x,          dx,                 true",
    "[!a-c]x,          ax,                 false",
    "[],               [],                 true", // '[' without a closing ']' is a literal
    "[]a],             ]a,                 false", // ']' first in a set is a member: matches one
    "[]a],             a,                  true",
    "host-1.example.com, HOST-1.Example.Com, true",
    "*,                anything.at.all,    true",
  })
  void globsFollowFnmatch(String pattern, String host, boolean expected) {
    assertThat(CertificateSelection.matches(pattern, host)).isEqualTo(expected);
  }

  @Test
  void patternsForListsThePatternsOfACertificateSorted() {
    Map<String, String> ssl = Map.of("*.lain.local", "web", "*.lain", "web", "blog.com", "blog");
    assertThat(CertificateSelection.patternsFor("web", ssl))
        .containsExactly("*.lain", "*.lain.local");
    assertThat(CertificateSelection.patternsFor("none", ssl)).isEmpty();
  }
}
