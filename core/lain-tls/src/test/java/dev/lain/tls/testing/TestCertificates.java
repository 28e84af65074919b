package dev.lain.tls.testing;

import java.io.IOException;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * <b>Test support only</b>: makes certificate authorities and server certificates as PEM, for tests
 * of certificate handling and of real TLS servers (nginx on loopback). Keys are generated fresh in
 * memory and nothing is kept; nothing in production code may use this class.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("LAIN test CA");
 * TestCertificates.Issued web = ca.issue("*.lain.local", "lain.local");
 * Files.writeString(dir.resolve("web.crt"), web.chainPem());
 * Files.writeString(dir.resolve("web.key"), web.keyPem());
 * // a client trusts ca.certificatePem()
 * }</pre>
 *
 * <p>The convenience overloads without times read the system clock (valid from an hour ago); tests
 * that check validity pass their own instants.
 */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

  private TestCertificates() {}

  /** The kind of key pair to generate. */
  public enum KeyType {
    /** ECDSA on P-256: fast to generate, the default. */
    EC,
    /** RSA with a 2048-bit modulus. */
    RSA
  }

  /** A self-signed CA with an EC key, valid from an hour ago for ten years. */
  public static Authority authority(String commonName) {
    Instant now = Instant.now();
    return authority(commonName, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)));
  }

  /** A self-signed CA with an EC key, valid from {@code notBefore} to {@code notAfter}. */
  public static Authority authority(String commonName, Instant notBefore, Instant notAfter) {
    KeyPair keys = generate(KeyType.EC);
    X500Name name = name(commonName);
    X509Certificate certificate =
        build(
            name,
            name,
            keys,
            keys.getPrivate(),
            null,
            notBefore,
            notAfter,
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              builder.addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(
                      KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            });
    return new Authority(certificate, keys.getPrivate(), List.of());
  }

  /**
   * A self-signed server certificate, like LAIN's bootstrap {@code web.crt}: the certificate is its
   * own issuer, so a client trusts it by trusting {@link Issued#certificatePem()}.
   */
  public static Issued selfSigned(Leaf leaf) {
    KeyPair keys = generate(leaf.keyType());
    X500Name name = name(leaf.commonName());
    X509Certificate certificate =
        build(
            name,
            name,
            keys,
            keys.getPrivate(),
            null,
            leaf.notBefore(),
            leaf.notAfter(),
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              addServerExtensions(builder, leaf);
            });
    return new Issued(certificate, keys.getPrivate(), List.of(), certificate);
  }

  /** A CA that signs certificates; its own chain up to (but without) the root. */
  public static final class Authority {
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final List<X509Certificate> parents;

    private Authority(X509Certificate certificate, PrivateKey key, List<X509Certificate> parents) {
      this.certificate = certificate;
      this.key = key;
      this.parents = List.copyOf(parents);
    }

    public X509Certificate certificate() {
      return certificate;
    }

    /** This CA's certificate as PEM: what a client trusts when this is the root. */
    public String certificatePem() {
      return pem(certificate);
    }

    /** This CA's private key as PKCS#8 PEM. */
    public String keyPem() {
      return pkcs8(key, null);
    }

    /** An intermediate CA signed by this one, with this one's validity. */
    public Authority intermediate(String commonName) {
      KeyPair keys = generate(KeyType.EC);
      X509Certificate issued =
          build(
              name(commonName),
              X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              keys,
              key,
              certificate,
              certificate.getNotBefore().toInstant(),
              certificate.getNotAfter().toInstant(),
              builder -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(
                        KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
              });
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(certificate);
      chain.addAll(parents);
      return new Authority(issued, keys.getPrivate(), chain);
    }

    /** A server certificate for {@code hosts} (the first is also its CN), see {@link Leaf}. */
    public Issued issue(String... hosts) {
      return issue(Leaf.forHosts(hosts));
    }

    /** A server certificate as {@code leaf} describes it, signed by this CA. */
    public Issued issue(Leaf leaf) {
      KeyPair keys = generate(leaf.keyType());
      X509Certificate issued =
          build(
              name(leaf.commonName()),
              X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
              keys,
              key,
              certificate,
              leaf.notBefore(),
              leaf.notAfter(),
              builder -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                addServerExtensions(builder, leaf);
              });
      List<X509Certificate> intermediates = new ArrayList<>();
      X509Certificate root = certificate;
      if (!parents.isEmpty()) {
        intermediates.add(certificate);
        intermediates.addAll(parents.subList(0, parents.size() - 1));
        root = parents.getLast();
      }
      return new Issued(issued, keys.getPrivate(), intermediates, root);
    }
  }

  /**
   * What a server certificate should look like.
   *
   * @param hosts its DNS subjectAltNames
   * @param commonName its subject CN
   * @param subjectAltNames whether to write the subjectAltName extension at all (false makes an
   *     old-style certificate that names its host only in the CN)
   */
  public record Leaf(
      List<String> hosts,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      KeyType keyType,
      boolean subjectAltNames) {
    public Leaf {
      hosts = List.copyOf(hosts);
      Objects.requireNonNull(commonName, "commonName");
      Objects.requireNonNull(notBefore, "notBefore");
      Objects.requireNonNull(notAfter, "notAfter");
      Objects.requireNonNull(keyType, "keyType");
    }

    /**
     * For {@code hosts}, CN the first host, EC key, valid from an hour ago (system clock) for 90
     * days.
     */
    public static Leaf forHosts(String... hosts) {
      if (hosts.length == 0) {
        throw new IllegalArgumentException("a server certificate needs a host name");
      }
      Instant now = Instant.now();
      return new Leaf(
          List.of(hosts),
          hosts[0],
          now.minus(Duration.ofHours(1)),
          now.plus(Duration.ofDays(90)),
          KeyType.EC,
          true);
    }

    public Leaf withValidity(Instant notBefore, Instant notAfter) {
      return new Leaf(hosts, commonName, notBefore, notAfter, keyType, subjectAltNames);
    }

    public Leaf withKeyType(KeyType keyType) {
      return new Leaf(hosts, commonName, notBefore, notAfter, keyType, subjectAltNames);
    }

    public Leaf withCommonName(String commonName) {
      return new Leaf(hosts, commonName, notBefore, notAfter, keyType, subjectAltNames);
    }

    public Leaf withoutSubjectAltNames() {
      return new Leaf(hosts, commonName, notBefore, notAfter, keyType, false);
    }
  }

  /**
   * A server certificate with its key and issuers.
   *
   * @param intermediates the CAs between the certificate and the root, nearest first
   * @param root the trust anchor (the certificate itself when self-signed)
   */
  public record Issued(
      X509Certificate certificate,
      PrivateKey key,
      List<X509Certificate> intermediates,
      X509Certificate root) {
    public Issued {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
      intermediates = List.copyOf(intermediates);
      Objects.requireNonNull(root, "root");
    }

    /** The server certificate alone. */
    public String certificatePem() {
      return pem(certificate);
    }

    /** What a server sends: the certificate, then its intermediates (not the root). */
    public String chainPem() {
      StringBuilder chain = new StringBuilder(pem(certificate));
      intermediates.forEach(c -> chain.append(pem(c)));
      return chain.toString();
    }

    /** The root a client trusts. */
    public String rootPem() {
      return pem(root);
    }

    /** The private key as PKCS#8 ({@code PRIVATE KEY}). */
    public String keyPem() {
      return pkcs8(key, null);
    }

    /** The private key as PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). */
    public String traditionalKeyPem() {
      return pem(key);
    }

    /** The private key as encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}). */
    public String encryptedKeyPem(String password) {
      try {
        return pkcs8(
            key,
            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(PROVIDER)
                .setRandom(RANDOM)
                .setPassword(password.toCharArray())
                .build());
      } catch (OperatorCreationException e) {
        throw new IllegalStateException("cannot encrypt a test key", e);
      }
    }

    /** The private key in OpenSSL's traditional encrypted form ({@code Proc-Type: 4,ENCRYPTED}). */
    public String encryptedTraditionalKeyPem(String password) {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(
            key,
            new JcePEMEncryptorBuilder("AES-128-CBC")
                .setProvider(PROVIDER)
                .setSecureRandom(RANDOM)
                .build(password.toCharArray()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }

    /** Leaves the key out. */
    @Override
    public String toString() {
      return "Issued[" + certificate.getSubjectX500Principal() + "]";
    }
  }

  @FunctionalInterface
  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws IOException, GeneralSecurityException;
  }

  private static void addServerExtensions(X509v3CertificateBuilder builder, Leaf leaf)
      throws IOException {
    int usage = KeyUsage.digitalSignature;
    if (leaf.keyType() == KeyType.RSA) {
      usage |= KeyUsage.keyEncipherment;
    }
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    if (leaf.subjectAltNames()) {
      GeneralName[] names =
          leaf.hosts().stream()
              .map(h -> new GeneralName(GeneralName.dNSName, h))
              .toArray(GeneralName[]::new);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
  }

  private static X509Certificate build(
      X500Name subject,
      X500Name issuer,
      KeyPair subjectKeys,
      PrivateKey issuerKey,
      X509Certificate issuerCertificate,
      Instant notBefore,
      Instant notAfter,
      Extensions extensions) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, RANDOM).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKeys.getPublic());
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          issuerCertificate == null
              ? utils.createAuthorityKeyIdentifier(subjectKeys.getPublic())
              : utils.createAuthorityKeyIdentifier(issuerCertificate));
      extensions.add(builder);
      String algorithm =
          issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .setProvider(PROVIDER)
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder(algorithm).setProvider(PROVIDER).build(issuerKey)));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }

  private static KeyPair generate(KeyType type) {
    try {
      return switch (type) {
        case EC -> {
          // Bouncy Castle's EC keys carry their curve and public point in the inner SEC1
          // structure, so traditionalKeyPem() writes what openssl writes.
          KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", PROVIDER);
          generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
          yield generator.generateKeyPair();
        }
        case RSA -> {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(2048, RANDOM);
          yield generator.generateKeyPair();
        }
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + type + " key", e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, commonName)
        .addRDN(BCStyle.O, "LAIN tests")
        .build();
  }

  private static String pkcs8(PrivateKey key, OutputEncryptor encryptor) {
    try {
      return pem(new JcaPKCS8Generator(key, encryptor));
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot write a test key as PKCS#8", e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
