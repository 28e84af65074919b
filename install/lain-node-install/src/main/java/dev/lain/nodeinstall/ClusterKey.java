package dev.lain.nodeinstall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Iterator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The key the cluster logs in to its nodes with: an OpenSSH private key file and its {@code .pub}
 * beside it, created on first use. ECDSA P-256 rather than Ed25519: the JDK signs with it natively,
 * whereas MINA SSHD's Ed25519 needs an extra provider on the class path.
 */
public record ClusterKey(Path file, KeyPair keyPair) {
  /** Where {@code lainctl node add} keeps the key unless told otherwise. */
  public static final Path DEFAULT_FILE = Path.of("/etc/lain/ssh/id_ecdsa");

  /** The public key as one {@code authorized_keys} line. */
  public String authorizedKeysLine() {
    return PublicKeyEntry.toString(keyPair.getPublic()) + " lain-cluster";
  }

  /** The known-hosts file kept beside the key (first contact trusts and records a node's key). */
  public Path knownHosts() {
    return file.resolveSibling("known_hosts");
  }

  /** Reads the key at {@code file}, generating it (mode 0600, directory 0700) if it is missing. */
  public static ClusterKey loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        return create(file);
      }
      try (InputStream in = Files.newInputStream(file)) {
        Iterable<KeyPair> pairs =
            SecurityUtils.loadKeyPairIdentities(null, () -> file.toString(), in, null);
        Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
        if (it == null || !it.hasNext()) {
          throw new RemoteException(
              RemoteException.Code.INVALID, "no private key in " + file + " (is it encrypted?)");
        }
        return new ClusterKey(file, it.next());
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new RemoteException(
          RemoteException.Code.INVALID, "cannot read the cluster key " + file + ": " + e, e);
    }
  }

  private static ClusterKey create(Path file) throws IOException, GeneralSecurityException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    trySetMode(dir, "rwx------");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    trySetMode(tmp, "rw-------");
    try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "lain-cluster", null, out);
    }
    Files.move(tmp, file);
    ClusterKey key = new ClusterKey(file, pair);
    Files.writeString(
        file.resolveSibling(file.getFileName() + ".pub"),
        key.authorizedKeysLine() + "\n",
        StandardCharsets.US_ASCII);
    return key;
  }

  private static void trySetMode(Path path, String mode) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to tighten.
    }
  }
}
