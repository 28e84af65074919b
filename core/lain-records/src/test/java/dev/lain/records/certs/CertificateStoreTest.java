package dev.lain.records.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import dev.lain.tls.CertificateCheck;
import dev.lain.tls.CheckedCertificate;
import dev.lain.tls.testing.TestCertificates;
import dev.lain.tls.testing.TestCertificates.Authority;
import dev.lain.tls.testing.TestCertificates.Issued;
import dev.lain.tls.testing.TestCertificates.Leaf;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CertificateStoreTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Authority CA =
      TestCertificates.authority(
          "LAIN test CA", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(3650)));

  private final Store store = new MemoryStore();
  private final CertificateStore certificates =
      new CertificateStore(store, InstantSource.fixed(NOW));

  @AfterEach
  void close() {
    store.close();
  }

  private static CheckedCertificate checked(String... hosts) {
    Issued issued =
        CA.issue(
            Leaf.forHosts(hosts)
                .withValidity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(90))));
    return ((CertificateCheck.Passed)
            CertificateCheck.check(issued.chainPem(), issued.keyPem(), NOW))
        .certificate();
  }

  @Test
  void aCertificateIsStoredAsLainsJsonRecordUnderItsName() throws Exception {
    CheckedCertificate web = checked("*.lain.local", "lain.local");

    CertificateStore.Added added = certificates.add("web", web);

    assertThat(added.replaced()).isFalse();
    assertThat(added.previous()).isEmpty();
    JsonNode json =
        new ObjectMapper().readTree(store.get("/lain/webrouter/certs/web").orElseThrow().value());
    assertThat(json.properties())
        .extracting(e -> e.getKey())
        .containsExactly(
            "name", "certificate", "key", "hosts", "notAfter", "fingerprint", "addedAt");
    assertThat(json.get("name").asText()).isEqualTo("web");
    assertThat(json.get("certificate").asText()).isEqualTo(web.chainPem());
    assertThat(json.get("key").asText()).isEqualTo(web.keyPem());
    assertThat(json.get("hosts").toString()).isEqualTo("[\"*.lain.local\",\"lain.local\"]");
    assertThat(json.get("notAfter").asText()).isEqualTo("2026-05-30T12:00:00Z");
    assertThat(json.get("fingerprint").asText()).isEqualTo(web.fingerprint());
    assertThat(json.get("addedAt").asText()).isEqualTo("2026-03-01T12:00:00Z");
  }

  @Test
  void getReturnsWhatWasAdded() {
    CheckedCertificate web = checked("*.lain.local");
    certificates.add("web", web);

    StoredCertificate stored = certificates.get("web").orElseThrow();

    assertThat(stored).isEqualTo(StoredCertificate.of("web", web, NOW));
    assertThat(stored.toString()).doesNotContain("PRIVATE KEY");
    assertThat(certificates.get("other")).isEmpty();
  }

  @Test
  void replacingAnExistingNameIsAllowedAndReported() {
    CheckedCertificate first = checked("a.example.com");
    CheckedCertificate second = checked("b.example.com");
    certificates.add("example", first);

    CertificateStore.Added added = certificates.add("example", second);

    assertThat(added.replaced()).isTrue();
    assertThat(added.previous().orElseThrow().fingerprint()).isEqualTo(first.fingerprint());
    assertThat(certificates.get("example").orElseThrow().hosts()).containsExactly("b.example.com");
  }

  @Test
  void addingWithoutReplaceRefusesAnExistingNameAndWritesNothing() {
    certificates.add("example", checked("a.example.com"));
    long revision = store.revision();

    assertThatThrownBy(() -> certificates.add("example", checked("b.example.com"), false))
        .isInstanceOfSatisfying(
            CertificateStoreException.class,
            e -> assertThat(e.code()).isEqualTo(CertificateStoreException.Code.EXISTS))
        .hasMessageContaining(
            "a certificate named 'example' already exists (serving a.example.com)");
    assertThat(store.revision()).isEqualTo(revision);
  }

  @Test
  void badNamesAreRefusedLikeTheNamesInLainConfigSsl() {
    for (String bad : List.of("", "-web", "web/../x", "a b", "x".repeat(129), ".hidden")) {
      assertThatThrownBy(() -> certificates.add(bad, checked("a.example.com")))
          .as(bad)
          .isInstanceOfSatisfying(
              CertificateStoreException.class,
              e -> assertThat(e.code()).isEqualTo(CertificateStoreException.Code.INVALID_NAME));
    }
    for (String good : List.of("web", "example.com", "Web_2-x", "x".repeat(128))) {
      assertThat(CertificateStore.nameProblem(good)).as(good).isEmpty();
    }
    assertThat(store.list("/lain/webrouter/").entries()).isEmpty();
  }

  @Test
  void listShowsSummariesSortedByNameAndSetsUnreadableRecordsApart() {
    certificates.add("web", checked("*.lain.local"));
    certificates.add("example", checked("*.example.com"));
    store.put("/lain/webrouter/certs/broken", "{\"name\":\"broken\"}");

    CertificateStore.CertificateList list = certificates.list();

    assertThat(list.names()).containsExactly("example", "web");
    assertThat(list.certificates().getFirst().hosts()).containsExactly("*.example.com");
    assertThat(list.unreadable())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.name()).isEqualTo("broken");
              assertThat(u.problem())
                  .contains("certificate is missing")
                  .contains("add it again to replace it, or remove it");
            });
  }

  @Test
  void removeRefusesWhileLainConfigSslPointsAtTheCertificateNamingThePatterns() {
    certificates.add("web", checked("*.lain.local"));
    store.put("/lain/config/ssl", "{\"*.lain\":\"web\",\"*.lain.local\":\"web\",\"x.com\":\"x\"}");
    long revision = store.revision();

    assertThatThrownBy(() -> certificates.remove("web", false))
        .isInstanceOfSatisfying(
            CertificateStoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo(CertificateStoreException.Code.IN_USE);
              assertThat(e.details()).containsExactly("*.lain", "*.lain.local");
            })
        .hasMessageContaining("still used by the /lain/config/ssl pattern(s) *.lain, *.lain.local");
    assertThat(store.revision()).isEqualTo(revision);
    assertThat(certificates.get("web")).isPresent();
  }

  @Test
  void aForcedRemoveSaysWhichPatternsLostTheirCertificate() {
    certificates.add("web", checked("*.lain.local"));
    store.put("/lain/config/ssl", "{\"*.lain.local\":\"web\"}");

    CertificateStore.Removed removed = certificates.remove("web", true);

    assertThat(removed.stillUsedBy()).containsExactly("*.lain.local");
    assertThat(removed.certificate().orElseThrow().hosts()).containsExactly("*.lain.local");
    assertThat(certificates.get("web")).isEmpty();
  }

  @Test
  void anUnusedCertificateIsRemoved() {
    certificates.add("web", checked("*.lain.local"));

    CertificateStore.Removed removed = certificates.remove("web", false);

    assertThat(removed.stillUsedBy()).isEmpty();
    assertThat(store.get("/lain/webrouter/certs/web")).isEmpty();
  }

  @Test
  void anUnreadableRecordCanStillBeRemoved() {
    store.put("/lain/webrouter/certs/broken", "not json");

    CertificateStore.Removed removed = certificates.remove("broken", false);

    assertThat(removed.certificate()).isEmpty();
    assertThat(store.get("/lain/webrouter/certs/broken")).isEmpty();
    assertThatThrownBy(() -> certificates.get("nothing/../broken"))
        .isInstanceOf(CertificateStoreException.class);
  }

  @Test
  void removingAMissingCertificateSaysSo() {
    assertThatThrownBy(() -> certificates.remove("ghost", true))
        .isInstanceOfSatisfying(
            CertificateStoreException.class,
            e -> assertThat(e.code()).isEqualTo(CertificateStoreException.Code.NOT_FOUND))
        .hasMessageContaining("no certificate named 'ghost'");
  }

  @Test
  void theSslMapIsReadAsLainUsesIt() {
    assertThat(certificates.sslMap()).isEmpty();
    store.put("/lain/config/ssl", "{\"*.LAIN\":\"web\"}");
    assertThat(certificates.sslMap()).containsExactly(Map.entry("*.lain", "web"));
    assertThat(certificates.usedBy("web")).containsExactly("*.lain");
    store.put("/lain/config/ssl", "not json");
    assertThat(certificates.sslMap()).isEmpty();
  }

  @Test
  void storedRecordsRoundTripThroughJson() {
    StoredCertificate stored = StoredCertificate.of("web", checked("*.lain.local"), NOW);
    assertThat(StoredCertificate.fromJson(stored.toJson())).isEqualTo(stored);
    assertThatThrownBy(() -> StoredCertificate.fromJson("{\"name\":1,\"notAfter\":\"soon\"}"))
        .hasMessageContaining("name is missing or not a string")
        .hasMessageContaining("notAfter 'soon'")
        .hasMessageContaining("hosts is not an array");
  }

  @Test
  void patternsForListsThePatternsOfACertificateSorted() {
    Map<String, String> ssl = Map.of("*.lain.local", "web", "*.lain", "web", "blog.com", "blog");
    assertThat(CertificateStore.patternsFor("web", ssl)).containsExactly("*.lain", "*.lain.local");
    assertThat(CertificateStore.patternsFor("none", ssl)).isEmpty();
  }
}
