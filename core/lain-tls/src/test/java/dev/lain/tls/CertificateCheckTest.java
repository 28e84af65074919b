package dev.lain.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.tls.testing.TestCertificates;
import dev.lain.tls.testing.TestCertificates.Authority;
import dev.lain.tls.testing.TestCertificates.Issued;
import dev.lain.tls.testing.TestCertificates.KeyType;
import dev.lain.tls.testing.TestCertificates.Leaf;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.Test;

class CertificateCheckTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Authority CA =
      TestCertificates.authority(
          "LAIN test CA", NOW.minus(Duration.ofDays(365)), NOW.plus(Duration.ofDays(3650)));
  private static final Leaf WEB =
      Leaf.forHosts("*.lain.local", "lain.local")
          .withValidity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)));

  private static CheckedCertificate passes(String chain, String key) {
    CertificateCheck.Result result = CertificateCheck.check(chain, key, NOW);
    assertThat(result).isInstanceOf(CertificateCheck.Passed.class);
    return ((CertificateCheck.Passed) result).certificate();
  }

  private static List<String> problems(String chain, String key) {
    CertificateCheck.Result result = CertificateCheck.check(chain, key, NOW);
    assertThat(result).isInstanceOf(CertificateCheck.Failed.class);
    return ((CertificateCheck.Failed) result).problems();
  }

  @Test
  void aGoodEcPairYieldsItsHostsValidityIssuerAndFingerprint() {
    Issued web = CA.issue(WEB);

    CheckedCertificate checked = passes(web.chainPem(), web.keyPem());

    assertThat(checked.hosts()).containsExactly("*.lain.local", "lain.local");
    assertThat(checked.commonName()).contains("*.lain.local");
    assertThat(checked.subject()).contains("CN=*.lain.local");
    assertThat(checked.issuer()).contains("CN=LAIN test CA");
    assertThat(checked.selfSigned()).isFalse();
    assertThat(checked.notBefore()).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(checked.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(90)));
    assertThat(checked.daysLeft(NOW)).isEqualTo(90);
    assertThat(checked.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(checked.warnings()).isEmpty();
  }

  @Test
  void aGoodRsaPairWithAPkcs1KeyIsNormalisedToPkcs8() {
    Issued web = CA.issue(WEB.withKeyType(KeyType.RSA));
    assertThat(web.traditionalKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    CheckedCertificate checked = passes(web.chainPem(), web.traditionalKeyPem());

    assertThat(checked.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(checked.keyPem()).endsWith("-----END PRIVATE KEY-----\n");
    assertThat(passes(checked.chainPem(), checked.keyPem()).fingerprint())
        .isEqualTo(checked.fingerprint());
  }

  @Test
  void anEcKeyInSec1FormEvenAfterEcParametersIsAccepted() {
    Issued web = CA.issue(WEB);
    assertThat(web.traditionalKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    String ecparamGenkey =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
            + web.traditionalKeyPem();

    passes(web.chainPem(), web.traditionalKeyPem());
    passes(web.chainPem(), ecparamGenkey);
  }

  @Test
  void anEcKeyWithoutItsCurveNeedsTheEcParametersBlock() throws Exception {
    Issued web = CA.issue(WEB);
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(web.key().getEncoded());
    BigInteger secret = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
    String bare = pemBlock("EC PRIVATE KEY", new ECPrivateKey(256, secret).getEncoded());
    String parameters = pemBlock("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded());

    passes(web.chainPem(), parameters + bare);
    assertThat(problems(web.chainPem(), bare))
        .containsExactly(
            "the EC private key does not name its curve: give it with its parameters (openssl ec"
                + " -in KEY -out KEY.full writes them)");
  }

  @Test
  void theChainIsNormalisedToBarePemBlocksServerCertificateFirst() {
    Authority intermediate = CA.intermediate("LAIN test intermediate");
    Issued web = intermediate.issue(WEB);
    String messy =
        "Certificate:\r\n    Data: (openssl x509 -text output)\r\n"
            + web.certificatePem().replace("\n", "\r\n")
            + "\n\nsubject=CN=LAIN test intermediate\n"
            + pem(web.intermediates().getFirst());

    CheckedCertificate checked = passes(messy, web.keyPem());

    assertThat(checked.chainPem()).isEqualTo(web.chainPem());
    assertThat(checked.issuer()).contains("CN=LAIN test intermediate");
  }

  @Test
  void aSelfSignedCertificateLikeLainsBootstrapWebCrtIsAcceptedAndSaysSo() {
    Issued web = TestCertificates.selfSigned(WEB);

    CheckedCertificate checked = passes(web.chainPem(), web.keyPem());

    assertThat(checked.selfSigned()).isTrue();
    assertThat(checked.issuer()).isEqualTo(checked.subject());
  }

  @Test
  void aCertificateNamingItsHostOnlyInTheCommonNameIsAcceptedWithAWarning() {
    Issued old = CA.issue(WEB.withoutSubjectAltNames().withCommonName("*.Example.COM"));

    CheckedCertificate checked = passes(old.chainPem(), old.keyPem());

    assertThat(checked.hosts()).containsExactly("*.example.com");
    assertThat(checked.warnings())
        .singleElement()
        .asString()
        .contains("only in the subject CN (*.example.com)")
        .contains("reissue it with DNS subjectAltNames");
  }

  @Test
  void subjectAltNamesAreLowerCased() {
    Issued web =
        CA.issue(Leaf.forHosts("WWW.Example.com").withValidity(WEB.notBefore(), WEB.notAfter()));
    assertThat(passes(web.chainPem(), web.keyPem()).hosts()).containsExactly("www.example.com");
  }

  @Test
  void aCertificateWithoutAnyHostNameIsRefused() {
    Issued nameless = CA.issue(WEB.withoutSubjectAltNames().withCommonName("My Web Service"));

    assertThat(problems(nameless.chainPem(), nameless.keyPem()))
        .singleElement()
        .asString()
        .contains("names no host")
        .contains("CN 'My Web Service' is not a host name")
        .contains("reissue it");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    Issued web = CA.issue(WEB);
    Issued other = CA.issue(WEB);

    assertThat(problems(web.chainPem(), other.keyPem()))
        .containsExactly(
            "the private key does not belong to the certificate (their public keys differ):"
                + " give the key the certificate was issued for");
  }

  @Test
  void aKeyOfAnotherTypeIsRefusedNamingBothTypes() {
    Issued web = CA.issue(WEB);
    Issued rsa = CA.issue(WEB.withKeyType(KeyType.RSA));

    assertThat(problems(web.chainPem(), rsa.keyPem()))
        .singleElement()
        .asString()
        .contains("the private key is an RSA key but the certificate holds an EC public key");
  }

  @Test
  void anExpiredCertificateIsRefusedWithItsDate() {
    Issued old =
        CA.issue(
            WEB.withValidity(
                NOW.minus(Duration.ofDays(100)), Instant.parse("2026-02-01T00:00:00Z")));

    assertThat(problems(old.chainPem(), old.keyPem()))
        .containsExactly(
            "the certificate expired on 2026-02-01T00:00:00Z (it is now 2026-03-01T12:00:00Z):"
                + " renew it and add the renewed one");
  }

  @Test
  void aCertificateNotYetValidIsRefused() {
    Issued early =
        CA.issue(
            WEB.withValidity(
                Instant.parse("2026-04-01T00:00:00Z"), NOW.plus(Duration.ofDays(400))));

    assertThat(problems(early.chainPem(), early.keyPem()))
        .singleElement()
        .asString()
        .startsWith("the certificate is not valid before 2026-04-01T00:00:00Z")
        .contains("check the clock");
  }

  @Test
  void anExpiredIntermediateIsNamed() {
    Authority lapsed =
        TestCertificates.authority(
                "old root", NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)))
            .intermediate("old intermediate");
    Issued web = lapsed.issue(WEB);

    assertThat(problems(web.chainPem(), web.keyPem()))
        .singleElement()
        .asString()
        .startsWith("certificate 2 of the chain (")
        .contains("CN=old intermediate")
        .contains("expired on");
  }

  @Test
  void textThatIsNotPemIsRefusedForBothParts() {
    assertThat(problems("hello, I am not a certificate\n", "nor a key"))
        .containsExactly(
            "the certificate chain holds no PEM block: expected -----BEGIN CERTIFICATE----- (for"
                + " a DER file: openssl x509 -inform der -in FILE -out FILE.pem)",
            "the private key holds no PEM block: expected -----BEGIN PRIVATE KEY----- (or RSA/EC"
                + " PRIVATE KEY); for a DER file: openssl pkey -inform der -in FILE -out"
                + " FILE.pem");
  }

  @Test
  void aPemCutShortIsRefusedAsIncomplete() {
    Issued web = CA.issue(WEB);
    String chain = web.chainPem();
    String cut = chain.substring(0, chain.length() / 2);

    assertThat(problems(cut, web.keyPem()))
        .singleElement()
        .asString()
        .startsWith(
            "the certificate chain is not readable PEM at block 1 (-----END CERTIFICATE----- not found)")
        .contains("is the file complete?");
  }

  @Test
  void aPemMissingLinesInTheMiddleIsRefused() {
    Issued web = CA.issue(WEB);
    List<String> lines = web.keyPem().lines().toList();
    String holed = String.join("\n", lines.subList(0, 2)) + "\n" + lines.getLast() + "\n";

    assertThat(problems(web.chainPem(), holed))
        .singleElement()
        .asString()
        .startsWith("the private key is not readable PEM");
  }

  @Test
  void corruptedBase64IsRefused() {
    Issued web = CA.issue(WEB);
    String corrupted = web.chainPem().replaceFirst("\n[A-Za-z0-9+/]{10}", "\n!!!!!!!!!!");

    assertThat(problems(corrupted, web.keyPem()))
        .singleElement()
        .asString()
        .startsWith("the certificate chain is not readable PEM");
  }

  @Test
  void anEncryptedPkcs8KeyIsRefusedAskingForAnUnencryptedOne() {
    Issued web = CA.issue(WEB);
    String encrypted = web.encryptedKeyPem("secret");
    assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

    assertThat(problems(web.chainPem(), encrypted))
        .singleElement()
        .asString()
        .contains("encrypted with a passphrase")
        .contains("openssl pkey -in KEY -out KEY.plain");
  }

  @Test
  void anEncryptedTraditionalKeyIsRefusedToo() {
    Issued web = CA.issue(WEB.withKeyType(KeyType.RSA));
    String encrypted = web.encryptedTraditionalKeyPem("secret");
    assertThat(encrypted).contains("Proc-Type: 4,ENCRYPTED");

    assertThat(problems(web.chainPem(), encrypted))
        .singleElement()
        .asString()
        .contains("encrypted with a passphrase");
  }

  @Test
  void aChainInTheWrongOrderIsRefusedWithTheRightOrder() {
    Issued web = CA.intermediate("LAIN test intermediate").issue(WEB);
    String reversed = pem(web.intermediates().getFirst()) + web.certificatePem();

    assertThat(problems(reversed, web.keyPem()))
        .contains(
            "the certificate chain is out of order: put its certificates in the order 2, 1 (the"
                + " server certificate first, then the certificate that issued it, and so on)")
        .anySatisfy(
            p -> assertThat(p).startsWith("the private key belongs to certificate 2 of the chain"));
  }

  @Test
  void aCertificateThatDoesNotBelongInTheChainIsNamed() {
    Issued web = CA.issue(WEB);
    String stranger =
        TestCertificates.authority(
                "someone else", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)))
            .certificatePem();

    assertThat(problems(web.chainPem() + stranger, web.keyPem()))
        .singleElement()
        .asString()
        .contains("certificate 2 (CN=someone else")
        .contains("did not issue certificate 1")
        .contains("leave out certificates that do not belong");
  }

  @Test
  void swappedFilesAreRecognised() {
    Issued web = CA.issue(WEB);

    assertThat(problems(web.keyPem(), web.chainPem()))
        .contains(
            "block 1 of the certificate chain is a private key, not a certificate: keep the"
                + " private key in its own file, apart from the certificates",
            "the private key file holds a certificate (block 1), not a private key: were the"
                + " certificate and key files swapped?");
  }

  @Test
  void aKeyInsideTheChainFileIsRefused() {
    Issued web = CA.issue(WEB);

    assertThat(problems(web.chainPem() + web.keyPem(), web.keyPem()))
        .singleElement()
        .asString()
        .startsWith("block 2 of the certificate chain is a private key");
  }

  @Test
  void twoKeysInTheKeyFileAreRefused() {
    Issued web = CA.issue(WEB);

    assertThat(problems(web.chainPem(), web.keyPem() + CA.issue(WEB).keyPem()))
        .containsExactly(
            "the private key file holds 2 private keys: give only the one the certificate was"
                + " issued for");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Issued expired =
        CA.issue(WEB.withValidity(NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(1))));
    Issued other = CA.issue(WEB);

    assertThat(problems(expired.chainPem(), other.keyPem()))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("expired on"))
        .anySatisfy(p -> assertThat(p).contains("does not belong to the certificate"));
  }

  @Test
  void theKeyNeverAppearsInToString() {
    Issued web = CA.issue(WEB);
    CheckedCertificate checked = passes(web.chainPem(), web.keyPem());
    String body = checked.keyPem().lines().skip(1).findFirst().orElseThrow();

    assertThat(checked.toString()).doesNotContain(body).doesNotContain("PRIVATE KEY");
    assertThat(web.toString()).doesNotContain("PRIVATE KEY");
  }

  private static String pem(X509Certificate certificate) {
    try {
      return pemBlock("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new AssertionError(e);
    }
  }

  private static String pemBlock(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
