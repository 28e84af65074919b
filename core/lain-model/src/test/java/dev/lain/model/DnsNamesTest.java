package dev.lain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"lain.local", "a", "hello.lain", "x-1.example.com", "1.2.3.4"})
  void plainHostNamesAreValid(String name) {
    assertThat(DnsNames.problem(name)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|is empty",
        "exa mple.com|a space",
        "example.com;|';'",
        "a{b}.com|'{'",
        "a\"b.com|'\"'",
        "Upper.com|'U'",
        "under_score.com|'_'",
        "*.example.com|'*'",
        ".example.com|starts or ends with '.'",
        "a..b|empty label",
        "-a.com|starting or ending with '-'",
      })
  void unsafeOrMalformedNamesAreRefusedWithTheReason(String name, String reason) {
    assertThat(DnsNames.problem(name)).hasValueSatisfying(p -> assertThat(p).contains(reason));
  }

  @Test
  void lineBreaksAndLongLabelsAreRefused() {
    assertThat(DnsNames.problem("a\nb.com"))
        .hasValueSatisfying(p -> assertThat(p).contains("line break"));
    assertThat(DnsNames.problem("a".repeat(64) + ".com")).isPresent();
    assertThat(DnsNames.problem(("a".repeat(60) + ".").repeat(5) + "com"))
        .hasValueSatisfying(p -> assertThat(p).contains("longer than 253"));
  }

  @Test
  void withinMeansTheDomainItselfOrASubDomain() {
    assertThat(DnsNames.isWithin("lain.local", "lain.local")).isTrue();
    assertThat(DnsNames.isWithin("hello.lain.local", "lain.local")).isTrue();
    assertThat(DnsNames.isWithin("evillain.local", "lain.local")).isFalse();
  }

  @Test
  void theMainDomainIsTheFirstExtraDomainElseTheDomain() {
    assertThat(ClusterDomains.DEFAULT.mainDomain()).isEqualTo("lain.local");
    ClusterDomains domains = new ClusterDomains("lain.local", List.of("example.com", "lain.local"));
    assertThat(domains.mainDomain()).isEqualTo("example.com");
    assertThat(domains.all()).containsExactly("lain.local", "example.com");
    assertThatThrownBy(() -> new ClusterDomains("bad domain", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
