package dev.lain.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * The cluster's own CA, as LAIN's bootstrap made one for the webrouter: it signs the wildcard
 * certificate of the cluster domains. EC P-256 keys; the CA's key never leaves the node.
 */
public final class CertificateAuthority {
  /** Long enough that the CA outlives the certificates it signs, as operators install it once. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /** Apple's clients refuse server certificates valid for longer, even from a private CA. */
  public static final Duration SERVER_VALIDITY = Duration.ofDays(825);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A PEM certificate and its PEM (PKCS#8) private key. */
  public record Issued(String certificatePem, String keyPem) {
    @Override
    public String toString() {
      return "Issued[key hidden]";
    }
  }

  public static CertificateAuthority create(String commonName, Instant now) {
    try {
      KeyPair pair = newKeyPair();
      X500Name subject = new X500Name("CN=" + commonName + ",O=LAIN");
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(Duration.ofHours(1))),
                  Date.from(now.plus(CA_VALIDITY)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create the cluster CA: " + e.getMessage(), e);
    }
  }

  /** The CA an earlier run made, so that certificates it signed and trust in it stay valid. */
  public static CertificateAuthority load(String certificatePem, String keyPem) {
    try (PEMParser certs = new PEMParser(new StringReader(certificatePem));
        PEMParser keys = new PEMParser(new StringReader(keyPem))) {
      if (!(certs.readObject() instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException("the CA certificate file holds no certificate");
      }
      PrivateKeyInfo info =
          switch (keys.readObject()) {
            case PrivateKeyInfo i -> i;
            case PEMKeyPair p -> p.getPrivateKeyInfo();
            case null, default ->
                throw new IllegalArgumentException("the CA key file holds no private key");
          };
      return new CertificateAuthority(
          new JcaX509CertificateConverter().getCertificate(holder),
          new JcaPEMKeyConverter().getPrivateKey(info));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the CA: " + e.getMessage(), e);
    }
  }

  public String certificatePem() {
    return pem(certificate);
  }

  public String keyPem() {
    return pem(key);
  }

  /** A server certificate for {@code hosts} (the first is the common name), signed by this CA. */
  public Issued issue(List<String> hosts, Instant now) {
    try {
      KeyPair pair = newKeyPair();
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      GeneralName[] names =
          hosts.stream()
              .map(h -> new GeneralName(GeneralName.dNSName, h))
              .toArray(GeneralName[]::new);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(Duration.ofHours(1))),
                  Date.from(now.plus(SERVER_VALIDITY)),
                  new X500Name("CN=" + hosts.getFirst() + ",O=LAIN"),
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(pair.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      return new Issued(pem(sign(builder, key)), pem(pair.getPrivate()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** PKCS#8: unlike the SEC1 form, it names the key's curve, as lain-tls's check requires. */
  private static String pem(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null).generate());
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot encode a private key", e);
    }
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
