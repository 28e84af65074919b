package dev.lain.records.nodes;

import dev.lain.store.KeyValue;
import dev.lain.store.Lease;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One-time tokens that let one named node join: {@code /lain/cluster/join_tokens/<id>} holds the
 * node's name and the SHA-256 of the secret, under a lease, so an unused token disappears by
 * itself. The node's agent redeems it once, before it first registers ({@code laind agent
 * --join-token-file}); the store never holds the secret. {@code lainctl node add}
 * (lain-node-install) creates, watches and withdraws them.
 */
public final class JoinTokens {
  public static final String PREFIX = "/lain/cluster/join_tokens/";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A token as handed to the node: {@code <id>.<secret>}. */
  public record JoinToken(String id, String secret) {
    public String text() {
      return id + "." + secret;
    }

    public static Optional<JoinToken> parse(String text) {
      int dot = text.strip().indexOf('.');
      if (dot <= 0) {
        return Optional.empty();
      }
      return Optional.of(
          new JoinToken(text.strip().substring(0, dot), text.strip().substring(dot + 1)));
    }

    @Override
    public String toString() {
      // Never the secret (this lands in logs and messages).
      return "join token " + id;
    }
  }

  private JoinTokens() {}

  /** Creates a token for {@code node}, valid for {@code ttl}. */
  public static JoinToken create(Store store, String node, Duration ttl) {
    JoinToken token = new JoinToken(random(8), random(24));
    Lease lease = store.grantLease(ttl);
    store.put(PREFIX + token.id(), value(node, token.secret()), lease.id());
    return token;
  }

  /**
   * Consumes {@code token} for {@code node}: true once if it was issued for that node and has not
   * expired; the key is deleted in the same transaction, so a second redemption fails.
   */
  public static boolean redeem(Store store, JoinToken token, String node) {
    String key = PREFIX + token.id();
    Optional<KeyValue> current = store.get(key);
    if (current.isEmpty() || !current.get().value().equals(value(node, token.secret()))) {
      return false;
    }
    return store
        .commit(
            Txn.when(List.of(new Txn.ModRevisionIs(key, current.get().modRevision())))
                .then(List.of(new Txn.Delete(key))))
        .succeeded();
  }

  /** Whether the token is still unredeemed. */
  public static boolean pending(Store store, String id) {
    return store.get(PREFIX + id).isPresent();
  }

  /** Withdraws a token (a failed join). */
  public static void delete(Store store, String id) {
    store.delete(PREFIX + id);
  }

  private static String value(String node, String secret) {
    return node + " " + sha256(secret);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
