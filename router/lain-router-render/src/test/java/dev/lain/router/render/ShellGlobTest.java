package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellGlobTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "*, anything.at.all, true",
    "*, '', true",
    "*.lain, a.lain, true",
    "*.lain, a.b.lain, true",
    "*.lain, lain, false",
    "*.lain, a.lainx, false",
    "a?c, abc, true",
    "a?c, a.c, true",
    "a?c, ac, false",
    "a*b*c, axxbyyc, true",
    "a*b*c, axxbyy, false",
    "a*b*c, abcabc, true",
    "**, x, true",
    "exact.com, exact.com, true",
    "exact.com, exact.co, false",
    "api.*.example.xyz, api.v2.example.xyz, true",
    "api.*.example.xyz, api.example.xyz, false"
  })
  void matchesLikeFnmatchWithoutClasses(String pattern, String text, boolean expected) {
    assertThat(ShellGlob.matches(pattern, text)).isEqualTo(expected);
  }

  @Test
  void aLongPathologicalPatternStaysFast() {
    String pattern = "*a".repeat(100) + "b";
    String text = "a".repeat(250);
    long start = System.nanoTime();
    assertThat(ShellGlob.matches(pattern, text)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
  }

  @Test
  void specificityRanksLiteralsThenWildcardsThenText() {
    List<String> patterns =
        new ArrayList<>(
            List.of("*", "*.com", "?.shop.com", "*.shop.com", "b.shop.com", "a.shop.com"));
    patterns.sort(ShellGlob.MOST_SPECIFIC_FIRST);
    assertThat(patterns)
        .containsExactly("a.shop.com", "b.shop.com", "?.shop.com", "*.shop.com", "*.com", "*");
  }
}
