package dev.lain.tls;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * A certificate chain and its private key that passed {@link CertificateCheck}: they belong
 * together, are valid at the time of the check and name at least one host. Nothing here depends on
 * the name the certificate will be stored under.
 *
 * @param subject the server certificate's subject, e.g. {@code CN=*.lain.local,O=LAIN}
 * @param issuer the server certificate's issuer
 * @param hosts the host names the certificate serves, lower-cased, in certificate order: its DNS
 *     subjectAltNames, or its subject CN when it has no subjectAltName extension at all (see {@link
 *     #warnings})
 * @param notBefore the start of the server certificate's validity
 * @param notAfter the end of the server certificate's validity
 * @param selfSigned whether the server certificate signed itself
 * @param fingerprint SHA-256 of the server certificate's DER form, as upper-case hex pairs joined
 *     by {@code :} (what {@code openssl x509 -fingerprint -sha256} prints)
 * @param chainPem the chain, server certificate first, as {@code CERTIFICATE} PEM blocks with LF
 *     line ends and nothing between them
 * @param keyPem the private key as an unencrypted PKCS#8 {@code PRIVATE KEY} PEM block
 * @param warnings things that work but deserve the operator's attention
 */
public record CheckedCertificate(
    String subject,
    String issuer,
    List<String> hosts,
    Instant notBefore,
    Instant notAfter,
    boolean selfSigned,
    String fingerprint,
    String chainPem,
    String keyPem,
    List<String> warnings) {

  public CheckedCertificate {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(chainPem, "chainPem");
    Objects.requireNonNull(keyPem, "keyPem");
    warnings = List.copyOf(warnings);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a checked certificate serves at least one host");
    }
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException("notAfter " + notAfter + " precedes notBefore");
    }
  }

  /** The subject's common name (CN), if it has one. */
  public Optional<String> commonName() {
    return commonNameOf(subject);
  }

  /** Whole days from {@code now} until {@link #notAfter}; negative once expired. */
  public long daysLeft(Instant now) {
    return ChronoUnit.DAYS.between(now, notAfter);
  }

  /** Leaves the private key out, so the record can be logged. */
  @Override
  public String toString() {
    return "CheckedCertificate[subject="
        + subject
        + ", hosts="
        + hosts
        + ", notAfter="
        + notAfter
        + ", fingerprint="
        + fingerprint
        + "]";
  }

  static Optional<String> commonNameOf(String distinguishedName) {
    try {
      RDN[] cns = new X500Name(BCStyle.INSTANCE, distinguishedName).getRDNs(BCStyle.CN);
      return cns.length == 0
          ? Optional.empty()
          : Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
