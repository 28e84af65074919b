package dev.lain.records.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.lain.model.ClusterDomains;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterConfigStoreTest {
  private final Store store = new MemoryStore();
  private final ClusterConfigStore config = new ClusterConfigStore(store);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void anEmptyStoreHasLainsDefaults() {
    ClusterConfig loaded = config.load();
    assertThat(loaded.domains()).isEqualTo(ClusterDomains.DEFAULT);
    assertThat(loaded.domains().mainDomain()).isEqualTo("lain.local");
    assertThat(loaded.ssl()).isEmpty();
    assertThat(loaded.entry(ConfigKey.DOMAIN).source()).isEqualTo(ConfigEntry.Source.DEFAULT);
    assertThat(loaded.entry(ConfigKey.NODE_NETWORK).source()).isEqualTo(ConfigEntry.Source.UNSET);
  }

  @Test
  void setStoresTheCanonicalStringUnderLainsKey() {
    ClusterConfigStore.Change change = config.set(ConfigKey.EXTRA_DOMAINS, "[ \"Example.com\" ]");

    assertThat(change.before()).isEmpty();
    assertThat(change.after()).contains("[\"example.com\"]");
    assertThat(store.get("/lain/config/extra_domains").orElseThrow().value())
        .isEqualTo("[\"example.com\"]");
  }

  @Test
  void theMainDomainIsTheFirstExtraDomainOnceThereIsOne() {
    config.set(ConfigKey.DOMAIN, "lain.local");
    config.set(ConfigKey.EXTRA_DOMAINS, "[\"example.com\",\"example.org\"]");

    ClusterDomains domains = config.load().domains();
    assertThat(domains.mainDomain()).isEqualTo("example.com");
    assertThat(domains.all()).containsExactly("lain.local", "example.com", "example.org");

    config.unset(ConfigKey.EXTRA_DOMAINS);
    assertThat(config.load().domains().mainDomain()).isEqualTo("lain.local");
  }

  @Test
  void aRejectedValueWritesNothingAndKeepsThePreviousOne() {
    config.set(ConfigKey.EXTRA_DOMAINS, "[\"example.com\"]");
    long revision = store.revision();

    assertThatThrownBy(() -> config.set(ConfigKey.EXTRA_DOMAINS, "[\"bad domain\", \"x;y\"]"))
        .isInstanceOfSatisfying(
            ClusterConfigException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ClusterConfigException.Code.INVALID_VALUE);
              assertThat(e.problems()).hasSize(2);
              assertThat(e.getMessage()).contains("nothing was changed");
            });

    assertThat(store.revision()).isEqualTo(revision);
    assertThat(config.get(ConfigKey.EXTRA_DOMAINS).value()).isEqualTo("[\"example.com\"]");
  }

  @Test
  void aBadValueWrittenBehindOurBackIsReportedAndIgnored() {
    store.put("/lain/config/extra_domains", "example.com");
    store.put("/lain/config/ssl", "{\"*.lain.local\":\"web\"}");

    ClusterConfig loaded = config.load();
    ConfigEntry extra = loaded.entry(ConfigKey.EXTRA_DOMAINS);
    assertThat(extra.source()).isEqualTo(ConfigEntry.Source.SET);
    assertThat(extra.value()).isEqualTo("example.com");
    assertThat(extra.problems()).isNotEmpty();
    assertThat(loaded.domains().extraDomains()).isEmpty();
    assertThat(loaded.ssl()).isEqualTo(Map.of("*.lain.local", "web"));
  }

  @Test
  void setSslStoresTheMapInItsOrderAsCanonicalJson() {
    Map<String, String> ssl = new LinkedHashMap<>();
    ssl.put("*.Example.ORG", "web");
    ssl.put("*.lain", "web");

    config.setSsl(ssl);

    assertThat(store.get("/lain/config/ssl").orElseThrow().value())
        .isEqualTo("{\"*.example.org\":\"web\",\"*.lain\":\"web\"}");
    assertThat(config.load().ssl())
        .containsExactly(entry("*.example.org", "web"), entry("*.lain", "web"));
    assertThatThrownBy(() -> config.setSsl(Map.of("bad pattern", "web")))
        .isInstanceOfSatisfying(
            ClusterConfigException.class,
            e -> assertThat(e.code()).isEqualTo(ClusterConfigException.Code.INVALID_VALUE));
  }

  @Test
  void theRegistryBootstrapIsKeptAsGivenBesideTheKnownKeys() {
    assertThat(config.registryBootstrap()).isEmpty();

    config.setRegistryBootstrap("registry.aliyuncs.com/laincloud");

    assertThat(store.get("/lain/config/registry_bootstrap").orElseThrow().value())
        .isEqualTo("registry.aliyuncs.com/laincloud");
    assertThat(config.registryBootstrap()).contains("registry.aliyuncs.com/laincloud");
    assertThat(config.load().list())
        .extracting(ConfigEntry::key)
        .containsExactlyElementsOf(List.of(ConfigKey.values()));
  }

  @Test
  void unsetRestoresTheDefault() {
    config.set(ConfigKey.DOMAIN, "example.net");
    ClusterConfigStore.Change change = config.unset(ConfigKey.DOMAIN);
    assertThat(change.before()).contains("example.net");
    assertThat(config.get(ConfigKey.DOMAIN).effective()).isEqualTo("lain.local");
    assertThat(config.load().list())
        .extracting(ConfigEntry::key)
        .containsExactlyElementsOf(List.of(ConfigKey.values()));
  }
}
