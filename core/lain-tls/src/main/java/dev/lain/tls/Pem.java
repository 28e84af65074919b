package dev.lain.tls;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** PEM output in one canonical shape, and the crypto provider this module uses. */
final class Pem {
  /**
   * Bouncy Castle as a provider instance, not installed in the JVM's provider list: the module
   * reads every key type and signature algorithm bcprov knows without changing global state.
   */
  static final Provider PROVIDER = new BouncyCastleProvider();

  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  /** One PEM block: 64-character lines, LF line ends, a final LF. */
  static String encode(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + BASE64.encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
