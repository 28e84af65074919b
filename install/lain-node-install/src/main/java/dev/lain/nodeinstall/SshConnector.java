package dev.lain.nodeinstall;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;

/**
 * Opens SSH sessions to nodes with MINA SSHD: by the cluster key, or once by password to install
 * that key. A node's host key is trusted on first contact and recorded in the known-hosts file
 * beside the cluster key; a changed host key is refused.
 */
public final class SshConnector implements AutoCloseable {
  /** Appended to a file's path while it is being written (renamed into place when complete). */
  static final String UPLOAD_SUFFIX = ".lain-tmp";

  private final SshClient client;
  private final ClusterKey key;
  private final String user;
  private final Duration timeout;

  public SshConnector(ClusterKey key, String user, Duration timeout) {
    this.key = Objects.requireNonNull(key, "key");
    this.user = Objects.requireNonNull(user, "user");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(
        new KnownHostsServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE, key.knownHosts()));
    // Never fall back to the operator's ~/.ssh keys or agent: the cluster key or nothing.
    client.setKeyIdentityProvider(session -> java.util.List.of());
    client.start();
  }

  public ClusterKey key() {
    return key;
  }

  /** A session authenticated by the cluster key. */
  public RemoteShell connect(NodeAddress node, int port) {
    return open(node, port, session -> session.addPublicKeyIdentity(key.keyPair()), "the key");
  }

  /**
   * A session authenticated by {@code password}, only to install the cluster key; the password is
   * not kept.
   */
  public RemoteShell connectWithPassword(NodeAddress node, int port, char[] password) {
    String secret = new String(password);
    return open(node, port, session -> session.addPasswordIdentity(secret), "the password");
  }

  private interface Identity {
    void add(ClientSession session);
  }

  private RemoteShell open(NodeAddress node, int port, Identity identity, String how) {
    ClientSession session;
    try {
      session = client.connect(user, node.ip(), port).verify(timeout).getSession();
    } catch (IOException e) {
      throw new RemoteException(
          RemoteException.Code.UNREACHABLE,
          "cannot connect to node " + node + " on SSH port " + port + ": " + message(e),
          e);
    }
    try {
      identity.add(session);
      session.auth().verify(timeout);
    } catch (IOException e) {
      closeQuietly(session);
      throw new RemoteException(
          RemoteException.Code.AUTH_REFUSED,
          "node "
              + node
              + " refused "
              + user
              + "@"
              + node.ip()
              + " with "
              + how
              + ": "
              + message(e),
          e);
    }
    return new Shell(session, node, timeout);
  }

  private static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static void closeQuietly(ClientSession session) {
    try {
      session.close();
    } catch (IOException e) {
      // Going away anyway.
    }
  }

  @Override
  public void close() {
    client.stop();
  }

  private static final class Shell implements RemoteShell {
    private final ClientSession session;
    private final NodeAddress node;
    private final Duration timeout;

    Shell(ClientSession session, NodeAddress node, Duration timeout) {
      this.session = session;
      this.node = node;
      this.timeout = timeout;
    }

    @Override
    public Result exec(String command, byte[] stdin) {
      return exec(command, new ByteArrayInputStream(stdin));
    }

    private Result exec(String command, InputStream stdin) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (ChannelExec channel = session.createExecChannel(command)) {
        channel.setIn(stdin);
        channel.setOut(out);
        channel.setErr(err);
        channel.open().verify(timeout);
        // Long commands (a copy, a preflight) get ten timeouts; a hung node is still noticed.
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout.multipliedBy(10));
        Integer status = channel.getExitStatus();
        if (status == null) {
          throw new RemoteException(
              RemoteException.Code.UNREACHABLE,
              "node " + node + " did not finish a command in " + timeout.multipliedBy(10));
        }
        return new Result(
            status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      } catch (SshException e) {
        throw new RemoteException(
            RemoteException.Code.UNREACHABLE, "lost node " + node + ": " + message(e), e);
      } catch (IOException e) {
        throw new RemoteException(
            RemoteException.Code.UNREACHABLE,
            "cannot run a command on node " + node + ": " + message(e),
            e);
      }
    }

    @Override
    public boolean upload(Path local, String remotePath, String mode) {
      String digest = sha256(local);
      Result have = exec("sha256sum " + RemoteShell.quote(remotePath) + " 2>/dev/null || true");
      if (have.out().startsWith(digest)) {
        return false;
      }
      try (InputStream in = Files.newInputStream(local)) {
        put(in, remotePath, mode, digest);
      } catch (IOException e) {
        throw new RemoteException(
            RemoteException.Code.STEP_FAILED, "cannot read " + local + ": " + e.getMessage(), e);
      }
      return true;
    }

    @Override
    public void write(byte[] content, String remotePath, String mode) {
      put(new ByteArrayInputStream(content), remotePath, mode, "");
    }

    /** Streams the bytes into a temporary file, checks them if a digest is given, then renames. */
    private void put(InputStream in, String remotePath, String mode, String digest) {
      String path = RemoteShell.quote(remotePath);
      String tmp = RemoteShell.quote(remotePath + UPLOAD_SUFFIX);
      String check =
          digest.isEmpty()
              ? ""
              : " && [ \"$(sha256sum " + tmp + " | cut -d' ' -f1)\" = " + digest + " ]";
      String command =
          "umask 077 && mkdir -p \"$(dirname "
              + path
              + ")\" && cat > "
              + tmp
              + check
              + " && chmod "
              + mode
              + " "
              + tmp
              + " && mv -f "
              + tmp
              + " "
              + path;
      Result result = exec(command, in);
      if (!result.ok()) {
        exec("rm -f " + tmp);
        throw new RemoteException(
            RemoteException.Code.STEP_FAILED,
            "cannot write " + remotePath + " on node " + node + ": " + result.tail());
      }
    }

    private static String sha256(Path file) {
      try (InputStream in =
          new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
      } catch (IOException e) {
        throw new RemoteException(
            RemoteException.Code.STEP_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      closeQuietly(session);
    }
  }
}
