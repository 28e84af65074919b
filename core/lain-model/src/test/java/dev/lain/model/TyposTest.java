package dev.lain.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TyposTest {
  @Test
  void editDistanceCountsATranspositionAsOneEdit() {
    assertThat(Typos.distance("memroy", "memory")).isEqualTo(1);
    assertThat(Typos.distance("num_instance", "num_instances")).isEqualTo(1);
    assertThat(Typos.distance("", "web")).isEqualTo(3);
    assertThat(Typos.distance("same", "same")).isZero();
  }

  @Test
  void shortWordsMayBeOneEditAwayLongerOnesTwo() {
    List<String> known = List.of("web", "worker", "domain", "extra_domains");
    assertThat(Typos.closest("wbe", known)).contains("web");
    assertThat(Typos.closest("xyz", known)).isEmpty();
    assertThat(Typos.closest("extra_domain", known)).contains("extra_domains");
    assertThat(Typos.closest("domian", known)).contains("domain");
    assertThat(Typos.closest("replicas", known)).isEmpty();
  }
}
