package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.records.certs.CertificateStore;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.console.Users;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import dev.lain.tls.CertificateAuthority;
import dev.lain.tls.CertificateCheck;
import dev.lain.tls.CheckedCertificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one question each store step asks, whether the plan asks it of the probed store or the
 * executor of the store as it runs: {@code notIn} and {@code inPlace} over {@link
 * StoreReader#contents}.
 */
class StoreStepChecksTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final String URL = "etcd://192.168.77.21:2379";
  private static final List<String> HOSTS = List.of("*.lain.local", "*.lain");

  private final Store store = new MemoryStore();
  private final ClusterConfigStore config = new ClusterConfigStore(store);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theContentsAreReadThroughTheRecordsOwners() {
    config.set(ConfigKey.DOMAIN, "example.org");
    config.setRegistryBootstrap("registry.aliyuncs.com/laincloud");
    store.put(DeploydKeys.node("node1", "192.168.77.21", Layout.AGENT_SSH_PORT), "{}");
    Users.createAdmin(store, Layout.ADMIN_USER);
    storeWeb(HOSTS);

    Facts.StoreContents contents = StoreReader.contents(store, NOW);

    assertThat(contents.holds(ConfigKey.DOMAIN, "example.org")).isTrue();
    assertThat(contents.holds(ConfigKey.DOMAIN, "lain.local")).isFalse();
    assertThat(contents.registryBootstrap()).contains("registry.aliyuncs.com/laincloud");
    assertThat(contents.nodes()).containsExactly("node1:192.168.77.21:22");
    assertThat(contents.certificates()).containsExactly(Map.entry("web", HOSTS));
    assertThat(contents.adminUser()).isTrue();
  }

  @Test
  void aDefaultIsNotAStoredValue() {
    Facts.StoreContents contents = StoreReader.contents(store, NOW);

    // lain.local is the domain's default, yet the cluster-config step must still write it.
    assertThat(contents.holds(ConfigKey.DOMAIN, "lain.local")).isFalse();
  }

  @Test
  void onlyTheValuesTheStoreDoesNotHoldAreWritten() {
    config.set(ConfigKey.DOMAIN, "lain.local");
    config.set(ConfigKey.NODE_NETWORK, "192.168.77.0/24");
    config.setRegistryBootstrap("registry.aliyuncs.com/laincloud");
    Action.WriteClusterConfig wanted =
        new Action.WriteClusterConfig(
            URL,
            Map.of(
                ConfigKey.DOMAIN, "example.org",
                ConfigKey.NODE_NETWORK, "192.168.77.0/24",
                ConfigKey.REGISTRY_MIRROR, "http://mirror.example.com:5000"),
            Optional.of("registry.aliyuncs.com/laincloud"));

    Action.WriteClusterConfig missing = wanted.notIn(StoreReader.contents(store, NOW));

    assertThat(missing.values())
        .containsExactly(
            Map.entry(ConfigKey.DOMAIN, "example.org"),
            Map.entry(ConfigKey.REGISTRY_MIRROR, "http://mirror.example.com:5000"));
    assertThat(missing.registryBootstrap()).isEmpty();
    assertThat(missing.storeKeys())
        .containsExactly("/lain/config/domain", "/lain/config/registry_mirror");
    assertThat(wanted.notIn(Facts.StoreContents.empty()).storeKeys())
        .containsExactly(
            "/lain/config/domain",
            "/lain/config/node_network",
            "/lain/config/registry_mirror",
            "/lain/config/registry_bootstrap");
  }

  @Test
  void theCertificateIsInPlaceWithTheCaItsHostsAndEveryPatternPointedAtIt() {
    Action.CreateCertificates web =
        new Action.CreateCertificates(URL, "web", HOSTS, Layout.CA_CERT, Layout.CA_KEY);
    Set<String> ca = Set.of(Layout.CA_CERT);
    storeWeb(HOSTS);

    assertThat(web.inPlace(StoreReader.contents(store, NOW), ca::contains))
        .as("no /lain/config/ssl yet")
        .isFalse();

    config.setSsl(Map.of("*.lain.local", "web"));
    assertThat(web.inPlace(StoreReader.contents(store, NOW), ca::contains))
        .as("*.lain not pointed at it")
        .isFalse();

    config.setSsl(web.ssl());
    assertThat(web.inPlace(StoreReader.contents(store, NOW), ca::contains)).isTrue();
    assertThat(web.inPlace(StoreReader.contents(store, NOW), path -> false))
        .as("the CA's certificate is gone")
        .isFalse();

    // An operator's own patterns pointing at other certificates do not matter.
    config.set(
        ConfigKey.SSL,
        "{\"*.lain.local\":\"web\",\"*.lain\":\"web\",\"shop.example.com\":\"shop\"}");
    assertThat(web.inPlace(StoreReader.contents(store, NOW), ca::contains)).isTrue();

    // A changed domain needs a new certificate: the stored one names the old hosts.
    Action.CreateCertificates example =
        new Action.CreateCertificates(
            URL, "web", List.of("*.example.org", "*.lain"), Layout.CA_CERT, Layout.CA_KEY);
    assertThat(example.inPlace(StoreReader.contents(store, NOW), ca::contains)).isFalse();
  }

  @Test
  void anExpiredOrUnreadableCertificateIsNotReadAsStored() {
    storeWeb(HOSTS);
    store.put(CertificateStore.storeKey("broken"), "not a certificate");
    config.setSsl(Map.of("*.lain.local", "web", "*.lain", "web"));
    Action.CreateCertificates web =
        new Action.CreateCertificates(URL, "web", HOSTS, Layout.CA_CERT, Layout.CA_KEY);

    assertThat(StoreReader.contents(store, NOW).certificates()).containsOnlyKeys("web");

    Instant later = NOW.plus(CertificateAuthority.SERVER_VALIDITY).plus(Duration.ofDays(1));
    Facts.StoreContents expired = StoreReader.contents(store, later);
    assertThat(expired.certificates()).isEmpty();
    assertThat(web.inPlace(expired, path -> true)).isFalse();
  }

  @Test
  void theAdminIsInPlaceOnlyWithThisMachinesCliLogin() {
    Action.CreateAdminToken admin = new Action.CreateAdminToken(URL, Layout.ADMIN_CLI_CONFIG);
    Set<String> login = Set.of(Layout.ADMIN_CLI_CONFIG);

    assertThat(admin.inPlace(StoreReader.contents(store, NOW), login::contains)).isFalse();

    Users.createAdmin(store, Layout.ADMIN_USER);
    assertThat(admin.inPlace(StoreReader.contents(store, NOW), login::contains)).isTrue();
    assertThat(admin.inPlace(StoreReader.contents(store, NOW), path -> false))
        .as("the CLI login was lost")
        .isFalse();
  }

  private void storeWeb(List<String> hosts) {
    CertificateAuthority ca = CertificateAuthority.create("test CA", NOW);
    CertificateAuthority.Issued issued = ca.issue(hosts, NOW);
    CheckedCertificate checked =
        switch (CertificateCheck.check(issued.certificatePem(), issued.keyPem(), NOW)) {
          case CertificateCheck.Passed passed -> passed.certificate();
          case CertificateCheck.Failed failed -> throw new AssertionError(failed.problems());
        };
    new CertificateStore(store, InstantSource.fixed(NOW)).add("web", checked, true);
  }
}
