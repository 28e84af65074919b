package dev.lain.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.tls.testing.TestCertificates;
import dev.lain.tls.testing.TestCertificates.Issued;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The test helper makes chains a real PKIX validator accepts, as TLS clients in tests will. */
class TestCertificatesTest {
  @Test
  void aChainThroughAnIntermediateValidatesAgainstTheRoot() throws Exception {
    TestCertificates.Authority root = TestCertificates.authority("LAIN test root");
    Issued web = root.intermediate("LAIN test intermediate").issue("*.lain.local", "lain.local");

    List<X509Certificate> path = new ArrayList<>();
    path.add(web.certificate());
    path.addAll(web.intermediates());
    CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(web.root(), null)));
    parameters.setRevocationEnabled(false);

    CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    assertThat(web.rootPem()).isEqualTo(root.certificatePem());
    assertThat(web.certificate().getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1))
        .containsExactly("*.lain.local", "lain.local");
  }

  @Test
  void aSelfSignedCertificateIsItsOwnRoot() {
    Issued web = TestCertificates.selfSigned(TestCertificates.Leaf.forHosts("*.lain.local"));
    assertThat(web.root()).isEqualTo(web.certificate());
    assertThat(web.chainPem()).isEqualTo(web.certificatePem());
  }
}
