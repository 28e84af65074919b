package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.tls.testing.TestCertificates;
import dev.lain.tls.testing.TestCertificates.Authority;
import dev.lain.tls.testing.TestCertificates.Issued;
import dev.lain.tls.testing.TestCertificates.Leaf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lainctl ssl} in process, against an embedded store and certificates made by the test. */
class LainctlSslTest {
  private static final Authority CA = TestCertificates.authority("LAIN test CA");

  @TempDir Path dir;
  private Map<String, String> env;

  @BeforeEach
  void useATemporaryEmbeddedStore() {
    env = CliRun.nodeWithEmbeddedStore(dir);
  }

  private CliRun lainctl(String... args) {
    return CliRun.lainctl(env, args);
  }

  /** Writes the pair as NAME.crt and NAME.key in the temp dir. */
  private void write(String name, Issued issued) throws IOException {
    Files.writeString(dir.resolve(name + ".crt"), issued.chainPem());
    Files.writeString(dir.resolve(name + ".key"), issued.keyPem());
  }

  private CliRun add(String name, String... more) {
    String[] args = new String[6 + more.length];
    args[0] = "ssl";
    args[1] = "add";
    args[2] = name;
    args[3] = "--cert";
    args[4] = dir.resolve(name + ".crt").toString();
    args[5] = "--key=" + dir.resolve(name + ".key");
    System.arraycopy(more, 0, args, 6, more.length);
    return lainctl(args);
  }

  private int storedCertificates() {
    try (Store store = Stores.open(env.get("LAIN_STORE"))) {
      return store.list("/lain/webrouter/certs/").entries().size();
    }
  }

  @Test
  void addStoresAValidPairAndSaysWhatItServesAndHowToUseIt() throws IOException {
    write("web", CA.issue("*.lain.local", "lain.local"));

    CliRun run = add("web");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("added certificate web: serves *.lain.local, lain.local")
        .containsPattern("expires \\S+Z \\(in 8[89] days\\)")
        .contains("issued by CN=LAIN test CA")
        .contains("stored at /lain/webrouter/certs/web")
        .contains("No /lain/config/ssl pattern points to web yet")
        .contains("lainctl config set ssl '{\"*.lain.local\":\"web\",\"lain.local\":\"web\"}'");
    assertThat(run.err()).isEmpty();
    assertThat(storedCertificates()).isEqualTo(1);
  }

  @Test
  void theSuggestedCommandKeepsTheExistingPatternsAndWorks() throws IOException {
    lainctl("config", "set", "ssl", "{\"*.lain\":\"web\",\"*.lain.local\":\"web\"}");
    write("example", CA.issue("*.example.com"));

    CliRun run = add("example");

    String suggested =
        "{\"*.lain\":\"web\",\"*.lain.local\":\"web\",\"*.example.com\":\"example\"}";
    assertThat(run.out()).contains("lainctl config set ssl '" + suggested + "'");
    assertThat(lainctl("config", "set", "ssl", suggested).exitCode()).isZero();
  }

  @Test
  void addNamesThePatternsAlreadyPointingAtTheName() throws IOException {
    lainctl("config", "set", "ssl", "{\"*.lain\":\"web\",\"*.lain.local\":\"web\"}");
    write("web", CA.issue("*.lain.local"));

    CliRun run = add("web");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Used by the /lain/config/ssl pattern(s) *.lain, *.lain.local")
        .doesNotContain("lainctl config set");
  }

  @Test
  void anInvalidPairIsRefusedWithEveryProblemAndNothingIsWritten() throws IOException {
    Instant now = Instant.now();
    Issued expired =
        CA.issue(
            Leaf.forHosts("*.lain.local")
                .withValidity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1))));
    Files.writeString(dir.resolve("web.crt"), expired.chainPem());
    Files.writeString(dir.resolve("web.key"), CA.issue("*.lain.local").keyPem());

    CliRun run = add("web");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("error: web was not added (nothing was changed):")
        .contains("  - the certificate expired on")
        .contains("  - the private key does not belong to the certificate");
    assertThat(run.out()).isEmpty();
    assertThat(storedCertificates()).isZero();
  }

  @Test
  void garbageFilesAreRefusedSayingWhichPartIsWrong() throws IOException {
    Files.writeString(dir.resolve("web.crt"), "not a certificate");
    Files.write(dir.resolve("web.key"), new byte[] {0x30, (byte) 0x82, 0x01, (byte) 0xff});

    CliRun run = add("web");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("the certificate chain holds no PEM block")
        .contains("the private key holds no PEM block")
        .contains("openssl pkey -inform der");
    assertThat(storedCertificates()).isZero();
  }

  @Test
  void anEncryptedKeyIsRefusedAskingForAnUnencryptedOne() throws IOException {
    Issued web = CA.issue("*.lain.local");
    Files.writeString(dir.resolve("web.crt"), web.chainPem());
    Files.writeString(dir.resolve("web.key"), web.encryptedKeyPem("secret"));

    CliRun run = add("web");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("encrypted with a passphrase").contains("openssl pkey");
    assertThat(storedCertificates()).isZero();
  }

  @Test
  void aCertificateExpiringWithinThirtyDaysIsAddedWithAWarning() throws IOException {
    Instant now = Instant.now();
    write(
        "soon",
        CA.issue(
            Leaf.forHosts("soon.example.com")
                .withValidity(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10)))));

    CliRun run = add("soon");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .containsPattern("warning: soon expires in (9|10) days \\(.*\\): renew it");
  }

  @Test
  void aCertificateNamingItsHostOnlyInTheCnIsAddedWithAWarning() throws IOException {
    write("old", CA.issue(Leaf.forHosts("old.example.com").withoutSubjectAltNames()));

    CliRun run = add("old");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("serves old.example.com");
    assertThat(run.err())
        .contains("warning: the certificate names its host only in the subject CN");
  }

  @Test
  void anExistingNameIsReplacedOnlyWithForce() throws IOException {
    write("web", CA.issue("a.lain.local"));
    add("web");
    write("web", CA.issue("b.lain.local"));

    CliRun refused = add("web");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("a certificate named 'web' already exists (serving a.lain.local)")
        .contains("Add --force to replace it");

    CliRun forced = add("web", "--force");
    assertThat(forced.exitCode()).isZero();
    assertThat(forced.out())
        .contains("replaced certificate web: serves b.lain.local")
        .contains("replaces the certificate for a.lain.local");
    assertThat(lainctl("ssl", "list").out())
        .contains("b.lain.local")
        .doesNotContain("a.lain.local");
  }

  @Test
  void aMissingFileIsAClearError() {
    CliRun run =
        lainctl(
            "ssl", "add", "web", "--cert", "nowhere.crt", "--key", dir.resolve("x.key").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("the certificate file")
        .contains("nowhere.crt (--cert) does not exist")
        .contains("x.key (--key) does not exist");
  }

  @Test
  void aBadNameIsRefusedBeforeAnythingIsRead() {
    CliRun run = lainctl("ssl", "add", "../etc", "--cert", "a", "--key", "b");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("certificate name '../etc' must start with a letter or digit");
  }

  @Test
  void missingOptionsAreAUsageError() {
    CliRun run = lainctl("ssl", "add", "web", "--cert", "web.crt");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--key=FILE'").contains("--help");
  }

  @Test
  void sslAloneShowsItsUsage() {
    CliRun run = lainctl("ssl");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("add").contains("list").contains("remove");
  }

  @Test
  void everySslCommandHasHelp() {
    for (String command : new String[] {"add", "list", "remove"}) {
      CliRun run = lainctl("ssl", command, "--help");
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).startsWith("Usage: lainctl ssl " + command);
    }
    assertThat(lainctl("ssl", "-h").out()).contains("Commands:").contains("remove");
  }

  @Test
  void listShowsHostsExpiryDaysLeftAndUsers() throws IOException {
    write("web", CA.issue("*.lain.local", "lain.local"));
    write("example", CA.issue("*.example.com"));
    add("web");
    add("example");
    lainctl("config", "set", "ssl", "{\"*.lain\":\"web\",\"*.lain.local\":\"web\"}");

    CliRun run = lainctl("ssl", "list");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsPattern("NAME +HOSTS +NOT AFTER +DAYS LEFT +USED BY")
        .containsPattern("example +\\*\\.example\\.com +\\S+Z +8[89] +-\n")
        .containsPattern(
            "web +\\*\\.lain\\.local,lain\\.local +\\S+Z +8[89] +\\*\\.lain,\\*\\.lain\\.local\n");
    assertThat(run.out().indexOf("example")).isLessThan(run.out().indexOf("web "));
  }

  @Test
  void listAsJsonIsMachineReadableAndHoldsNoKeys() throws IOException {
    write("web", CA.issue("*.lain.local"));
    add("web");
    lainctl("config", "set", "ssl", "{\"*.lain.local\":\"web\",\"*.example.com\":\"gone\"}");

    CliRun run = lainctl("ssl", "list", "-o", "json");

    assertThat(run.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    JsonNode web = json.get("certificates").get(0);
    assertThat(web.get("name").asText()).isEqualTo("web");
    assertThat(web.get("hosts").toString()).isEqualTo("[\"*.lain.local\"]");
    assertThat(web.get("days_left").asLong()).isBetween(88L, 89L);
    assertThat(web.get("used_by").toString()).isEqualTo("[\"*.lain.local\"]");
    assertThat(web.get("fingerprint").asText()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(json.get("patterns_without_certificate").toString())
        .isEqualTo("{\"*.example.com\":\"gone\"}");
    assertThat(run.out()).doesNotContain("PRIVATE KEY");
    assertThat(run.err()).contains("warning: /lain/config/ssl points *.example.com -> gone at no");
  }

  @Test
  void anEmptyListSaysHowToAddOne() {
    CliRun run = lainctl("ssl", "list");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("No certificates. Add one with: lainctl ssl add NAME");
  }

  @Test
  void anUnknownOutputFormatIsAUsageError() {
    assertThat(lainctl("ssl", "list", "-o", "yaml").exitCode()).isEqualTo(2);
  }

  @Test
  void removeIsRefusedWhileAPatternPointsAtTheCertificateAndForcedOtherwise() throws IOException {
    write("web", CA.issue("*.lain.local"));
    add("web");
    lainctl("config", "set", "ssl", "{\"*.lain\":\"web\",\"*.lain.local\":\"web\"}");

    CliRun refused = lainctl("ssl", "remove", "web");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("still used by the /lain/config/ssl pattern(s) *.lain, *.lain.local")
        .contains("nothing was removed")
        .contains("--force");
    assertThat(storedCertificates()).isEqualTo(1);

    CliRun forced = lainctl("ssl", "remove", "web", "--force");
    assertThat(forced.exitCode()).isZero();
    assertThat(forced.out()).contains("removed certificate web (served *.lain.local");
    assertThat(forced.err())
        .contains("warning: /lain/config/ssl still points *.lain, *.lain.local at web");
    assertThat(storedCertificates()).isZero();
  }

  @Test
  void removeOfAnUnusedCertificateNeedsNoForce() throws IOException {
    write("web", CA.issue("*.lain.local"));
    add("web");

    CliRun run = lainctl("ssl", "remove", "web");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(storedCertificates()).isZero();
  }

  @Test
  void removingAnUnknownCertificateFails() {
    CliRun run = lainctl("ssl", "remove", "ghost");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("there is no certificate named 'ghost' (lainctl ssl list");
  }
}
