package dev.lain.records.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigKeyTest {

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(ConfigKey.DOMAIN, "lain.local", "lain.local"),
        Arguments.of(ConfigKey.DOMAIN, "  Example.COM ", "example.com"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "[]", "[]"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "[\"example.com\"]", "[\"example.com\"]"),
        Arguments.of(
            ConfigKey.EXTRA_DOMAINS,
            "[ \"A.example.com\" , \"lain.local\" ]",
            "[\"a.example.com\",\"lain.local\"]"),
        Arguments.of(ConfigKey.SSL, "{}", "{}"),
        Arguments.of(
            ConfigKey.SSL,
            "{\"*.lain\":\"web\", \"*.lain.local\":\"web\", \"blog.example.com\":\"blog.example.com\"}",
            "{\"*.lain\":\"web\",\"*.lain.local\":\"web\",\"blog.example.com\":\"blog.example.com\"}"),
        Arguments.of(
            ConfigKey.SSL,
            "{\"*.Example.COM\":\"example_2\"}",
            "{\"*.example.com\":\"example_2\"}"),
        Arguments.of(ConfigKey.VIP, "192.168.77.201", "192.168.77.201"),
        Arguments.of(ConfigKey.VIP, "0.0.0.0", "0.0.0.0"),
        Arguments.of(ConfigKey.NODE_NETWORK, "192.168.77.0/24", "192.168.77.0/24"),
        Arguments.of(ConfigKey.NODE_NETWORK, "10.0.0.0/8", "10.0.0.0/8"),
        Arguments.of(
            ConfigKey.REGISTRY_MIRROR, "https://mirror.example.com/", "https://mirror.example.com"),
        Arguments.of(
            ConfigKey.PROTECTED_APPS, "[\"console\",\"my-app\"]", "[\"console\",\"my-app\"]"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("accepted")
  void validValuesAreAcceptedInCanonicalForm(ConfigKey key, String raw, String canonical) {
    assertThat(key.parse(raw)).isEqualTo(new ConfigValue.Accepted(canonical));
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(ConfigKey.DOMAIN, "", "is empty"),
        Arguments.of(ConfigKey.DOMAIN, "exa mple.com", "a space"),
        Arguments.of(ConfigKey.DOMAIN, "example.com;", "';'"),
        Arguments.of(ConfigKey.DOMAIN, "-bad.com", "starting or ending with '-'"),
        Arguments.of(ConfigKey.DOMAIN, "a..b", "empty label"),
        Arguments.of(ConfigKey.DOMAIN, "lain", "reserved"),
        Arguments.of(ConfigKey.DOMAIN, "under_score.com", "'_'"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "example.com", "not valid JSON"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "\"example.com\"", "JSON array"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "{\"a\":1}", "JSON array"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "[\"example.com\"", "not valid JSON"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "[\"example.com\"] x", "not valid JSON"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "[1]", "element 1 (1) is not a string"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "[\"a.com\",\"A.com\"]", "element 2 repeats a.com"),
        Arguments.of(
            ConfigKey.EXTRA_DOMAINS,
            "[\"ok.com\",\"bad domain\"]",
            "element 2 'bad domain' contains a space"),
        Arguments.of(ConfigKey.EXTRA_DOMAINS, "[\"x.com}\"]", "'}'"),
        Arguments.of(ConfigKey.SSL, "[]", "JSON map"),
        Arguments.of(
            ConfigKey.SSL, "{\"*.a.com\":\"web\",\"*.a.com\":\"other\"}", "Duplicate field"),
        Arguments.of(ConfigKey.SSL, "{\"*.a.com\":\"../etc/passwd\"}", "certificate name"),
        Arguments.of(ConfigKey.SSL, "{\"*.a.com\":1}", "certificate name"),
        Arguments.of(ConfigKey.SSL, "{\"a.com;\":\"web\"}", "may only hold"),
        Arguments.of(ConfigKey.SSL, "{\"*..com\":\"web\"}", "empty label"),
        Arguments.of(ConfigKey.VIP, "300.1.1.1", "above 255"),
        Arguments.of(ConfigKey.VIP, "1.2.3", "IPv4"),
        Arguments.of(ConfigKey.NODE_NETWORK, "192.168.77.5/24", "did you mean 192.168.77.0/24?"),
        Arguments.of(ConfigKey.NODE_NETWORK, "192.168.77.0", "CIDR"),
        Arguments.of(ConfigKey.NODE_NETWORK, "192.168.77.0/33", "0 to 32"),
        Arguments.of(ConfigKey.REGISTRY_MIRROR, "ftp://mirror.example.com", "http:// or https://"),
        Arguments.of(ConfigKey.REGISTRY_MIRROR, "https://", "not a URL"),
        Arguments.of(ConfigKey.PROTECTED_APPS, "[\"9lives\"]", "not an app name"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rejected")
  void invalidValuesAreRejectedWithAReason(ConfigKey key, String raw, String reason) {
    assertThat(key.parse(raw))
        .isInstanceOfSatisfying(
            ConfigValue.Rejected.class,
            r -> assertThat(String.join("\n", r.problems())).contains(reason));
  }

  @Test
  void everyProblemOfAValueIsReportedNotOnlyTheFirst() {
    assertThat(ConfigKey.EXTRA_DOMAINS.parse("[\"a b\", 2, \"ok.com\", \"c;d\"]"))
        .isInstanceOfSatisfying(
            ConfigValue.Rejected.class, r -> assertThat(r.problems()).hasSize(3));
  }

  @Test
  void storeKeysFollowLain() {
    assertThat(ConfigKey.EXTRA_DOMAINS.storeKey()).isEqualTo("/lain/config/extra_domains");
    assertThat(ConfigKey.DOMAIN.defaultValue()).contains("lain.local");
  }

  @Test
  void anUnknownKeyNamesTheNearestKnownOne() {
    assertThatThrownBy(() -> ConfigKey.require("extra_domain"))
        .isInstanceOfSatisfying(
            ClusterConfigException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ClusterConfigException.Code.UNKNOWN_KEY);
              assertThat(e.getMessage())
                  .contains("did you mean extra_domains?")
                  .contains("known keys: domain,");
            });
    assertThatThrownBy(() -> ConfigKey.require("extra-domains"))
        .hasMessageContaining("did you mean extra_domains?");
    assertThatThrownBy(() -> ConfigKey.require("zzz")).hasMessageNotContaining("did you mean");
  }
}
