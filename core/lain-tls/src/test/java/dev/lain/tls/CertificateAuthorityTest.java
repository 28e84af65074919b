package dev.lain.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  private static CheckedCertificate passed(CertificateAuthority.Issued issued, Instant at) {
    CertificateCheck.Result result =
        CertificateCheck.check(issued.certificatePem(), issued.keyPem(), at);
    assertThat(result).isInstanceOf(CertificateCheck.Passed.class);
    return ((CertificateCheck.Passed) result).certificate();
  }

  @Test
  void theCaSignsAWildcardCertificateTheCheckAccepts() {
    CertificateAuthority ca = CertificateAuthority.create("LAIN cluster CA", NOW);

    CheckedCertificate web = passed(ca.issue(List.of("*.lain.local", "*.lain"), NOW), NOW);

    assertThat(web.hosts()).containsExactly("*.lain.local", "*.lain");
    assertThat(web.selfSigned()).isFalse();
    assertThat(web.issuer()).contains("LAIN cluster CA");
    assertThat(web.notAfter()).isEqualTo(NOW.plus(CertificateAuthority.SERVER_VALIDITY));
  }

  @Test
  void aLoadedCaSignsLikeTheOneItWasSavedFrom() {
    CertificateAuthority created = CertificateAuthority.create("LAIN cluster CA", NOW);
    CertificateAuthority loaded =
        CertificateAuthority.load(created.certificatePem(), created.keyPem());

    assertThat(loaded.certificatePem()).isEqualTo(created.certificatePem());
    CheckedCertificate reissued =
        passed(
            loaded.issue(List.of("*.example.org"), NOW.plus(Duration.ofDays(1))),
            NOW.plus(Duration.ofDays(1)));
    assertThat(reissued.issuer())
        .isEqualTo(passed(created.issue(List.of("x.lain"), NOW), NOW).issuer());
    assertThat(loaded.keyPem()).doesNotContain("ENCRYPTED");
  }
}
