package dev.lain.tls;

import dev.lain.model.DnsNames;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Checks a PEM certificate chain and its PEM private key before they are stored for the webrouter:
 * a pure function of the two texts and {@code now}.
 *
 * <p>Accepted: a chain of {@code CERTIFICATE} blocks, server certificate first, then each issuer in
 * turn (other text between blocks, like {@code openssl x509 -text} output, is ignored); a key as
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE
 * KEY}, optionally after {@code EC PARAMETERS}). Rejected, with every reason at once: text that is
 * not PEM or does not parse (saying which part), a key that does not belong to the server
 * certificate, a certificate that expired or is not yet valid at {@code now}, a certificate that
 * names no host, an encrypted key, and a chain out of order.
 */
public final class CertificateCheck {
  private static final Map<ASN1ObjectIdentifier, String> KEY_TYPES =
      Map.of(
          PKCSObjectIdentifiers.rsaEncryption, "RSA",
          PKCSObjectIdentifiers.id_RSASSA_PSS, "RSA-PSS",
          X9ObjectIdentifiers.id_ecPublicKey, "EC",
          EdECObjectIdentifiers.id_Ed25519, "Ed25519",
          EdECObjectIdentifiers.id_Ed448, "Ed448");
  private static final Map<String, String> PROOF_SIGNATURES =
      Map.of(
          "RSA", "SHA256withRSA",
          "RSA-PSS", "SHA256withRSAandMGF1",
          "EC", "SHA256withECDSA",
          "Ed25519", "Ed25519",
          "Ed448", "Ed448");
  private static final String UNENCRYPT_HINT =
      "give it unencrypted (e.g. openssl pkey -in KEY -out KEY.plain) and keep that file private";

  private CertificateCheck() {}

  /** The outcome of a check. */
  public sealed interface Result permits Passed, Failed {}

  /** The pair is usable. */
  public record Passed(CheckedCertificate certificate) implements Result {
    public Passed {
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  /** Every reason the pair is refused, each saying what is wrong and what to do. */
  public record Failed(List<String> problems) implements Result {
    public Failed {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("a failed check needs a reason");
      }
    }
  }

  /**
   * Checks {@code chainPem} (the server certificate and its intermediates) against {@code keyPem}
   * (the server certificate's private key) as of {@code now}.
   */
  public static Result check(String chainPem, String keyPem, Instant now) {
    List<String> problems = new ArrayList<>();
    List<X509CertificateHolder> chain = readChain(chainPem, problems);
    Optional<PrivateKeyInfo> key = readKey(keyPem, problems);
    List<String> warnings = new ArrayList<>();
    List<String> hosts = List.of();
    if (!chain.isEmpty()) {
      checkValidity(chain, now, problems);
      hosts = hosts(chain.getFirst(), problems, warnings);
      checkOrder(chain, key, problems);
    }
    if (!chain.isEmpty() && key.isPresent()) {
      checkKeyMatches(chain, key.get(), problems);
    }
    if (!problems.isEmpty()) {
      return new Failed(problems);
    }
    X509CertificateHolder leaf = chain.getFirst();
    StringBuilder normalised = new StringBuilder();
    for (X509CertificateHolder certificate : chain) {
      normalised.append(Pem.encode("CERTIFICATE", encoded(certificate)));
    }
    return new Passed(
        new CheckedCertificate(
            leaf.getSubject().toString(),
            leaf.getIssuer().toString(),
            hosts,
            leaf.getNotBefore().toInstant(),
            leaf.getNotAfter().toInstant(),
            issued(leaf, leaf),
            fingerprint(encoded(leaf)),
            normalised.toString(),
            Pem.encode("PRIVATE KEY", encoded(key.orElseThrow())),
            warnings));
  }

  /** SHA-256 of DER bytes as upper-case hex pairs joined by {@code :}. */
  static String fingerprint(byte[] der) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static List<X509CertificateHolder> readChain(String text, List<String> problems) {
    List<X509CertificateHolder> chain = new ArrayList<>();
    List<Object> blocks = new ArrayList<>();
    Optional<String> broken = readBlocks(text, blocks);
    for (int i = 0; i < blocks.size(); i++) {
      Object block = blocks.get(i);
      if (block instanceof X509CertificateHolder certificate) {
        chain.add(certificate);
      } else {
        String hint =
            isPrivateKey(block)
                ? ", not a certificate: keep the private key in its own file, apart from the"
                    + " certificates"
                : ", not a certificate: the chain holds only CERTIFICATE blocks";
        problems.add("block " + (i + 1) + " of the certificate chain is " + describe(block) + hint);
      }
    }
    broken.ifPresent(
        reason ->
            problems.add(
                "the certificate chain is not readable PEM at block "
                    + (blocks.size() + 1)
                    + " ("
                    + reason
                    + "): is the file complete? Each certificate runs from -----BEGIN"
                    + " CERTIFICATE----- to -----END CERTIFICATE-----"));
    if (blocks.isEmpty() && broken.isEmpty()) {
      problems.add(
          "the certificate chain holds no PEM block: expected -----BEGIN CERTIFICATE-----"
              + " (for a DER file: openssl x509 -inform der -in FILE -out FILE.pem)");
    }
    return chain;
  }

  private static Optional<PrivateKeyInfo> readKey(String text, List<String> problems) {
    List<PrivateKeyInfo> keys = new ArrayList<>();
    List<Object> blocks = new ArrayList<>();
    Optional<String> broken = readBlocks(text, blocks);
    boolean encrypted = false;
    Optional<ASN1ObjectIdentifier> curve = Optional.empty();
    for (int i = 0; i < blocks.size(); i++) {
      Object block = blocks.get(i);
      switch (block) {
        case PEMKeyPair pair -> keys.add(pair.getPrivateKeyInfo());
        case PrivateKeyInfo info -> keys.add(info);
        // EC PARAMETERS, as openssl ecparam -genkey writes before the key.
        case ASN1ObjectIdentifier named -> curve = Optional.of(named);
        case PEMEncryptedKeyPair pair -> encrypted = true;
        case PKCS8EncryptedPrivateKeyInfo info -> encrypted = true;
        case X509CertificateHolder certificate ->
            problems.add(
                "the private key file holds a certificate (block "
                    + (i + 1)
                    + "), not a private key: were the certificate and key files swapped?");
        default ->
            problems.add(
                "block "
                    + (i + 1)
                    + " of the private key file is "
                    + describe(block)
                    + ", not a private key: give the unencrypted private key of the certificate");
      }
    }
    if (encrypted) {
      problems.add("the private key is encrypted with a passphrase: " + UNENCRYPT_HINT);
    }
    broken.ifPresent(
        reason ->
            problems.add(
                "the private key is not readable PEM at block "
                    + (blocks.size() + 1)
                    + " ("
                    + reason
                    + "): is the file complete? It runs from -----BEGIN PRIVATE KEY----- (or RSA/EC"
                    + " PRIVATE KEY) to the matching -----END line"));
    if (blocks.isEmpty() && broken.isEmpty()) {
      problems.add(
          "the private key holds no PEM block: expected -----BEGIN PRIVATE KEY----- (or RSA/EC"
              + " PRIVATE KEY); for a DER file: openssl pkey -inform der -in FILE -out FILE.pem");
    }
    if (keys.size() > 1) {
      problems.add(
          "the private key file holds "
              + keys.size()
              + " private keys: give only the one the certificate was issued for");
      return Optional.empty();
    }
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    PrivateKeyInfo key = keys.getFirst();
    AlgorithmIdentifier algorithm = key.getPrivateKeyAlgorithm();
    if (algorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
        && isAbsent(algorithm.getParameters())) {
      // A SEC1 key may leave its curve to a separate EC PARAMETERS block.
      if (curve.isEmpty()) {
        problems.add(
            "the EC private key does not name its curve: give it with its parameters (openssl ec"
                + " -in KEY -out KEY.full writes them)");
        return Optional.empty();
      }
      try {
        key =
            new PrivateKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve.get()),
                key.parsePrivateKey());
      } catch (IOException e) {
        problems.add("the EC private key does not parse (" + reason(e) + ")");
        return Optional.empty();
      }
    }
    if (!PROOF_SIGNATURES.containsKey(keyType(key.getPrivateKeyAlgorithm().getAlgorithm()))) {
      problems.add(
          "the private key is of an unsupported type ("
              + keyType(key.getPrivateKeyAlgorithm().getAlgorithm())
              + "): use an RSA, EC or Ed25519 key");
      return Optional.empty();
    }
    return Optional.of(key);
  }

  /** Reads every PEM block into {@code blocks}; returns why reading stopped early, if it did. */
  private static Optional<String> readBlocks(String text, List<Object> blocks) {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        blocks.add(block);
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle signals bad base64 with runtime exceptions, bad PEM and DER with IOException.
      return Optional.of(reason(e));
    }
  }

  private static void checkValidity(
      List<X509CertificateHolder> chain, Instant now, List<String> problems) {
    for (int i = 0; i < chain.size(); i++) {
      X509CertificateHolder certificate = chain.get(i);
      String which =
          i == 0
              ? "the certificate"
              : "certificate " + (i + 1) + " of the chain (" + certificate.getSubject() + ")";
      Instant notBefore = certificate.getNotBefore().toInstant();
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (now.isAfter(notAfter)) {
        problems.add(
            which
                + " expired on "
                + time(notAfter)
                + " (it is now "
                + time(now)
                + "): "
                + (i == 0
                    ? "renew it and add the renewed one"
                    : "get the current chain from the CA"));
      } else if (now.isBefore(notBefore)) {
        problems.add(
            which
                + " is not valid before "
                + time(notBefore)
                + " (it is now "
                + time(now)
                + "): wait until then, or check the clock of the machine that issued it");
      }
    }
  }

  private static List<String> hosts(
      X509CertificateHolder leaf, List<String> problems, List<String> warnings) {
    Optional<String> commonName = CheckedCertificate.commonNameOf(leaf.getSubject().toString());
    Extension san = leaf.getExtension(Extension.subjectAlternativeName);
    if (san != null) {
      Set<String> hosts = new LinkedHashSet<>();
      GeneralNames names;
      try {
        names = GeneralNames.getInstance(san.getParsedValue());
      } catch (RuntimeException e) {
        problems.add(
            "the certificate's subjectAltName extension does not parse ("
                + reason(e)
                + "): reissue the certificate");
        return List.of();
      }
      for (GeneralName name : names.getNames()) {
        if (name.getTagNo() == GeneralName.dNSName) {
          hosts.add(((ASN1String) name.getName()).getString().toLowerCase(Locale.ROOT));
        }
      }
      if (hosts.isEmpty()) {
        problems.add(
            "the certificate names no host: its subjectAltName holds no DNS name; reissue it with"
                + " the host names it should serve as DNS subjectAltNames");
      }
      return List.copyOf(hosts);
    }
    Optional<String> host =
        commonName.map(cn -> cn.toLowerCase(Locale.ROOT)).filter(CertificateCheck::isHostName);
    if (host.isEmpty()) {
      problems.add(
          "the certificate names no host: it has no subjectAltName and its subject "
              + commonName.map(cn -> "CN '" + cn + "' is not a host name").orElse("has no CN")
              + "; reissue it with the host names it should serve as DNS subjectAltNames");
      return List.of();
    }
    warnings.add(
        "the certificate names its host only in the subject CN ("
            + host.get()
            + ") and has no subjectAltName: browsers and most current clients ignore the CN and"
            + " will refuse it; reissue it with DNS subjectAltNames when you can");
    return List.of(host.get());
  }

  private static boolean isHostName(String name) {
    String rest = name.startsWith("*.") ? name.substring(2) : name;
    return DnsNames.isValid(rest);
  }

  /**
   * Each certificate must be issued by the next one. When the certificates could form a chain in
   * another order, says which order; otherwise names each broken link.
   */
  private static void checkOrder(
      List<X509CertificateHolder> chain, Optional<PrivateKeyInfo> key, List<String> problems) {
    List<Integer> broken = new ArrayList<>();
    for (int i = 0; i + 1 < chain.size(); i++) {
      if (!issued(chain.get(i + 1), chain.get(i))) {
        broken.add(i);
      }
    }
    if (broken.isEmpty()) {
      return;
    }
    Optional<List<Integer>> order = properOrder(chain, key);
    if (order.isPresent()) {
      problems.add(
          "the certificate chain is out of order: put its certificates in the order "
              + String.join(", ", order.get().stream().map(i -> String.valueOf(i + 1)).toList())
              + " (the server certificate first, then the certificate that issued it, and so on)");
      return;
    }
    for (int i : broken) {
      problems.add(
          "the certificate chain is out of order or holds a stranger: certificate "
              + (i + 2)
              + " ("
              + chain.get(i + 1).getSubject()
              + ") did not issue certificate "
              + (i + 1)
              + " (issued by "
              + chain.get(i).getIssuer()
              + "); give the server certificate first, then the certificate that issued it, and so"
              + " on, and leave out certificates that do not belong");
    }
  }

  /** A chain order using every certificate, starting from the key's certificate if it is there. */
  private static Optional<List<Integer>> properOrder(
      List<X509CertificateHolder> chain, Optional<PrivateKeyInfo> key) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      int index = i;
      if (key.map(k -> keyMatches(k, chain.get(index))).orElse(false)) {
        starts.add(i);
      }
    }
    if (starts.isEmpty()) {
      for (int i = 0; i < chain.size(); i++) {
        starts.add(i);
      }
    }
    for (int start : starts) {
      List<Integer> order = new ArrayList<>(List.of(start));
      while (order.size() < chain.size()) {
        X509CertificateHolder last = chain.get(order.getLast());
        Optional<Integer> next = Optional.empty();
        for (int j = 0; j < chain.size() && next.isEmpty(); j++) {
          if (!order.contains(j) && issued(chain.get(j), last)) {
            next = Optional.of(j);
          }
        }
        if (next.isEmpty()) {
          break;
        }
        order.add(next.get());
      }
      if (order.size() == chain.size()) {
        return Optional.of(order);
      }
    }
    return Optional.empty();
  }

  private static void checkKeyMatches(
      List<X509CertificateHolder> chain, PrivateKeyInfo key, List<String> problems) {
    X509CertificateHolder leaf = chain.getFirst();
    if (keyMatches(key, leaf)) {
      return;
    }
    for (int i = 1; i < chain.size(); i++) {
      if (keyMatches(key, chain.get(i))) {
        problems.add(
            "the private key belongs to certificate "
                + (i + 1)
                + " of the chain ("
                + chain.get(i).getSubject()
                + "), not to the first one: the server certificate must come first");
        return;
      }
    }
    String keyType = keyType(key.getPrivateKeyAlgorithm().getAlgorithm());
    String certificateType = keyType(leaf.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm());
    problems.add(
        keyType.equals(certificateType)
            ? "the private key does not belong to the certificate (their public keys differ):"
                + " give the key the certificate was issued for"
            : "the private key is an "
                + keyType
                + " key but the certificate holds an "
                + certificateType
                + " public key: give the key the certificate was issued for");
  }

  /** Whether {@code key} is the private half of {@code certificate}'s public key. */
  private static boolean keyMatches(PrivateKeyInfo key, X509CertificateHolder certificate) {
    SubjectPublicKeyInfo publicInfo = certificate.getSubjectPublicKeyInfo();
    String type = keyType(key.getPrivateKeyAlgorithm().getAlgorithm());
    if (!type.equals(keyType(publicInfo.getAlgorithm().getAlgorithm()))) {
      return false;
    }
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Pem.PROVIDER);
      PrivateKey privateKey = converter.getPrivateKey(key);
      PublicKey publicKey = converter.getPublicKey(publicInfo);
      // A signature the certificate's key verifies proves the pair, for every key type alike.
      byte[] challenge = "lain-tls key match".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(PROOF_SIGNATURES.get(type), Pem.PROVIDER);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(PROOF_SIGNATURES.get(type), Pem.PROVIDER);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (PEMException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code issuer} signed {@code subject}. */
  private static boolean issued(X509CertificateHolder issuer, X509CertificateHolder subject) {
    if (!subject.getIssuer().equals(issuer.getSubject())) {
      return false;
    }
    try {
      return subject.isSignatureValid(
          new JcaContentVerifierProviderBuilder().setProvider(Pem.PROVIDER).build(issuer));
    } catch (OperatorCreationException | CertException | GeneralSecurityException e) {
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String keyType(ASN1ObjectIdentifier algorithm) {
    return KEY_TYPES.getOrDefault(algorithm, algorithm.getId());
  }

  private static boolean isAbsent(ASN1Encodable parameters) {
    return parameters == null || parameters instanceof ASN1Null;
  }

  private static boolean isPrivateKey(Object block) {
    return block instanceof PEMKeyPair
        || block instanceof PrivateKeyInfo
        || block instanceof PEMEncryptedKeyPair
        || block instanceof PKCS8EncryptedPrivateKeyInfo;
  }

  private static String describe(Object block) {
    return switch (block) {
      case PEMKeyPair pair -> "a private key";
      case PrivateKeyInfo info -> "a private key";
      case PEMEncryptedKeyPair pair -> "an encrypted private key";
      case PKCS8EncryptedPrivateKeyInfo info -> "an encrypted private key";
      case SubjectPublicKeyInfo info -> "a public key";
      case PKCS10CertificationRequest request -> "a certificate request (CSR)";
      case X509CRLHolder crl -> "a certificate revocation list";
      case X509CertificateHolder certificate -> "a certificate";
      case ASN1ObjectIdentifier parameters -> "EC parameters";
      default -> "a " + block.getClass().getSimpleName();
    };
  }

  private static String reason(Exception e) {
    Throwable cause = e;
    String message = e.getMessage();
    while ((message == null || message.isBlank()) && cause.getCause() != null) {
      cause = cause.getCause();
      message = cause.getMessage();
    }
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  private static byte[] encoded(X509CertificateHolder certificate) {
    try {
      return certificate.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("re-encoding a parsed certificate failed", e);
    }
  }

  private static byte[] encoded(PrivateKeyInfo key) {
    try {
      return key.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("re-encoding a parsed key failed", e);
    }
  }

  private static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
