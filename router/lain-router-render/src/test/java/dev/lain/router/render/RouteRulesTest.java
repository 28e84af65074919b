package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.ClusterDomains;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteRulesTest {
  private static final ClusterDomains EXTRA =
      new ClusterDomains("lain.local", List.of("example.xyz"));

  @ParameterizedTest(name = "{0} internal={1} (default domains), {2} (with extra_domains)")
  @CsvSource({
    "lain, true, true",
    "console.lain, true, true",
    "lain.local, true, true",
    "hello.lain.local, true, true",
    "hello.example.xyz, false, true",
    "example.xyz, false, true",
    "powerlain.com, false, false",
    "local, false, false",
    "xlain.local, false, false",
    "lain.local.evil.com, false, false",
    "lainx, false, false"
  })
  void hostsWithinLainTheDomainOrAnExtraDomainAreInternal(
      String host, boolean withDefaultDomains, boolean withExtraDomains) {
    assertThat(RouteRules.isInternal(host, ClusterDomains.DEFAULT)).isEqualTo(withDefaultDomains);
    assertThat(RouteRules.isInternal(host, EXTRA)).isEqualTo(withExtraDomains);
  }

  @Test
  void theClusterDomainStaysInternalWhenExtraDomainsMakeAnotherOneTheMainDomain() {
    assertThat(EXTRA.mainDomain()).isEqualTo("example.xyz");
    assertThat(RouteRules.isInternal("hello.lain.local", EXTRA)).isTrue();
  }

  @Test
  void anExactHostKeyWinsOverEveryPattern() {
    Map<String, String> ssl =
        Map.of("blog.example.xyz", "blog", "*.example.xyz", "wild", "blog.example.xy?", "q");
    assertThat(RouteRules.certificateFor("blog.example.xyz", ssl, Set.of("blog", "wild", "q")))
        .contains("blog");
  }

  @Test
  void theMostSpecificMatchingPatternWins() {
    Map<String, String> ssl =
        Map.of(
            "*", "any",
            "*.com", "com",
            "*.shop.com", "shop",
            "api.*.shop.com", "api",
            "?.shop.com", "one-letter");
    Set<String> all = Set.of("any", "com", "shop", "api", "one-letter");
    assertThat(RouteRules.certificateFor("api.v2.shop.com", ssl, all)).contains("api");
    assertThat(RouteRules.certificateFor("www.shop.com", ssl, all)).contains("shop");
    assertThat(RouteRules.certificateFor("a.shop.com", ssl, all)).contains("one-letter");
    assertThat(RouteRules.certificateFor("shop.com", ssl, all)).contains("com");
    assertThat(RouteRules.certificateFor("shop.org", ssl, all)).contains("any");
  }

  @Test
  void aWildcardMatchesAcrossDotsAsFnmatchDid() {
    Map<String, String> ssl = Map.of("*.lain.local", "web");
    assertThat(RouteRules.certificateFor("a.b.lain.local", ssl, Set.of("web"))).contains("web");
    assertThat(RouteRules.certificateFor("lain.local", ssl, Set.of("web"))).isEmpty();
  }

  @Test
  void onlyInstalledCertificatesAreChosen() {
    Map<String, String> ssl = Map.of("shop.com", "shop", "*.com", "com");
    assertThat(RouteRules.certificateFor("shop.com", ssl, Set.of("com"))).contains("com");
    assertThat(RouteRules.certificateFor("shop.com", ssl, Set.of())).isEqualTo(Optional.empty());
  }

  @Test
  void patternsAreCaseInsensitiveAndUnsafeOnesAreIgnored() {
    assertThat(RouteRules.certificateFor("shop.com", Map.of("SHOP.COM", "shop"), Set.of("shop")))
        .contains("shop");
    assertThat(
            RouteRules.certificateFor("shop.com", Map.of("shop.com", "../shop"), Set.of("../shop")))
        .isEmpty();
    assertThat(RouteRules.certificateFor("s.com", Map.of("[a-z].com", "x"), Set.of("x"))).isEmpty();
  }
}
