package dev.lain.records.nodes;

import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster-internal secret the console (and anything else in the cluster) shows node agents in
 * {@value #HEADER}: 32 random bytes as 64 hex digits under {@value #KEY}, created by whichever
 * process needs it first. Creation is a put-if-absent (compare-and-set on "no such key"), so two
 * processes racing to create it end up with the same token.
 *
 * <p>Whoever can read the store can read the token: it keeps out what is not in the cluster, not
 * what already holds the store's credentials. Never log it or put it in a message.
 */
public final class AgentToken {
  /**
   * Where the token lives; outside {@code /lain/config} so {@code lainctl config list} skips it.
   */
  public static final String KEY = "/lain/cluster/agent_token";

  /** The request header that carries it. */
  public static final String HEADER = "X-Lain-Agent-Token";

  private static final int BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AgentToken() {}

  /**
   * The cluster's token, created now if there is none yet.
   *
   * @throws dev.lain.store.StoreException if the store cannot be reached
   */
  public static String getOrCreate(Store store) {
    Objects.requireNonNull(store, "store");
    while (true) {
      Optional<KeyValue> existing = store.get(KEY);
      if (existing.isPresent() && isWellFormed(existing.get().value())) {
        return existing.get().value();
      }
      byte[] bytes = new byte[BYTES];
      RANDOM.nextBytes(bytes);
      String token = HexFormat.of().formatHex(bytes);
      // 0: only if absent; a malformed value (written by hand) is replaced at its revision.
      long expected = existing.map(KeyValue::modRevision).orElse(0L);
      if (store.compareAndSet(KEY, expected, token)) {
        return token;
      }
      // Someone else created (or replaced) it first: use theirs.
    }
  }

  /** Whether {@code given} is {@code expected}, in time independent of where they differ. */
  public static boolean matches(String expected, String given) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  static boolean isWellFormed(String value) {
    return value.length() == 2 * BYTES && value.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }
}
