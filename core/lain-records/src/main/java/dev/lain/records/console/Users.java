package dev.lain.records.console;

import dev.lain.api.console.Accounts.AppRole;
import dev.lain.api.console.Accounts.TokenInfo;
import dev.lain.model.console.Maintainer;
import dev.lain.model.console.User;
import dev.lain.records.RecordException;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Console users and their API tokens, kept in the store. Also the operator's way in: {@code lainctl
 * user add NAME --admin} calls {@link #createAdmin} against the store directly, because there is no
 * user yet who could call the API.
 *
 * <p>A token is {@code lain_<id>_<secret>}: the id (8 random bytes, hex) names the stored record,
 * the secret (32 random bytes, base64url) is only ever stored as its SHA-256.
 */
public final class Users {
  /** Writing the last use on every request would make each request a store write. */
  static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

  private static final Pattern TOKEN = Pattern.compile("lain_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Store store;
  private final InstantSource clock;

  public Users(Store store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A token just made: the only moment its secret is known. */
  public record IssuedToken(String id, String user, String token) {
    @Override
    public String toString() {
      // Keeps the secret out of any log line that prints the record.
      return "IssuedToken[id=" + id + ", user=" + user + "]";
    }
  }

  /** A new user with its first token. */
  public record Created(User user, IssuedToken token) {}

  /**
   * Creates cluster admin {@code name} and returns its first token, for {@code lainctl user add
   * NAME --admin}.
   *
   * @throws RecordException {@code CONFLICT} if the user exists, {@code INVALID} for a bad name
   */
  public static String createAdmin(Store store, String name) {
    return new Users(store, InstantSource.system()).create(name, true).token().token();
  }

  /** Creates a user and its first token in one write. */
  public Created create(String name, boolean admin) {
    Names.user(name);
    Instant now = clock.instant();
    User user = new User(name, admin, now);
    NewToken token = newToken(name, now);
    boolean created =
        store
            .commit(
                Txn.when(List.of(new Txn.ModRevisionIs(ConsoleKeys.user(name), 0)))
                    .then(
                        List.of(
                            new Txn.Put(ConsoleKeys.user(name), ConsoleJson.write(user)),
                            new Txn.Put(
                                ConsoleKeys.token(token.stored.id()),
                                ConsoleJson.write(token.stored)))))
            .succeeded();
    if (!created) {
      throw RecordException.conflict("user " + name + " exists already");
    }
    return new Created(user, token.issued);
  }

  public Optional<User> get(String name) {
    return store.get(ConsoleKeys.user(name)).map(kv -> ConsoleJson.read(kv, User.class));
  }

  public User require(String name) {
    return get(Names.user(name)).orElseThrow(() -> RecordException.notFound("no user " + name));
  }

  public List<User> list() {
    return store.list(ConsoleKeys.USERS).entries().stream()
        .map(kv -> ConsoleJson.read(kv, User.class))
        .toList();
  }

  /**
   * Removes a user. Its tokens stop working at once (a token only counts while its user exists);
   * they and the user's maintainer entries are then cleaned up.
   */
  public void delete(String name) {
    require(name);
    store.delete(ConsoleKeys.user(name));
    for (TokenInfo token : tokens(name)) {
      store.delete(ConsoleKeys.token(token.id()));
    }
    for (KeyValue kv : store.list(ConsoleKeys.MAINTAINERS).entries()) {
      if (kv.key().endsWith("/" + name)) {
        store.delete(kv.key());
      }
    }
  }

  /** A new token for an existing user. */
  public IssuedToken issueToken(String name) {
    require(name);
    NewToken token = newToken(name, clock.instant());
    if (!store.compareAndSet(
        ConsoleKeys.token(token.stored.id()), 0, ConsoleJson.write(token.stored))) {
      throw new IllegalStateException("token id collision");
    }
    return token.issued;
  }

  public List<TokenInfo> tokens(String name) {
    return store.list(ConsoleKeys.TOKENS).entries().stream()
        .map(kv -> ConsoleJson.read(kv, StoredToken.class))
        .filter(t -> t.user().equals(name))
        .map(t -> new TokenInfo(t.id(), t.user(), t.created(), t.lastUsed()))
        .toList();
  }

  /** Revokes one of {@code user}'s tokens. */
  public void revokeToken(String user, String id) {
    Optional<KeyValue> kv =
        id.matches("[0-9a-f]{16}") ? store.get(ConsoleKeys.token(id)) : Optional.empty();
    if (kv.isEmpty() || !ConsoleJson.read(kv.get(), StoredToken.class).user().equals(user)) {
      throw RecordException.notFound("user " + user + " has no token " + Names.shorten(id));
    }
    store.delete(kv.get().key());
  }

  /** The user a token belongs to, if it is a valid token of an existing user. */
  public Optional<User> authenticate(String token) {
    Matcher m = TOKEN.matcher(token);
    if (!m.matches()) {
      return Optional.empty();
    }
    Optional<KeyValue> kv = store.get(ConsoleKeys.token(m.group(1)));
    if (kv.isEmpty()) {
      return Optional.empty();
    }
    StoredToken stored = ConsoleJson.read(kv.get(), StoredToken.class);
    byte[] expected = HexFormat.of().parseHex(stored.sha256());
    if (!MessageDigest.isEqual(expected, sha256(m.group(2)))) {
      return Optional.empty();
    }
    Optional<User> user = get(stored.user());
    if (user.isPresent()) {
      Instant now = clock.instant();
      if (Duration.between(stored.lastUsed(), now).compareTo(LAST_USED_RESOLUTION) >= 0) {
        // Compare-and-set: a plain put could bring back a token revoked in the meantime.
        store.compareAndSet(
            kv.get().key(), kv.get().modRevision(), ConsoleJson.write(stored.usedAt(now)));
      }
    }
    return user;
  }

  private record NewToken(StoredToken stored, IssuedToken issued) {}

  private static NewToken newToken(String user, Instant now) {
    byte[] idBytes = new byte[8];
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(secretBytes);
    String id = HexFormat.of().formatHex(idBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    // A plain SHA-256 is enough here: the secret is 256 random bits, so there is no dictionary
    // to try and brute force is hopeless; slow password hashes (bcrypt, argon2) only help
    // low-entropy secrets, and would cost that time on every request.
    String hash = HexFormat.of().formatHex(sha256(secret));
    return new NewToken(
        new StoredToken(id, user, hash, now, now),
        new IssuedToken(id, user, "lain_" + id + "_" + secret));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Maintainer entries of a user, for {@code /auth/me}. */
  public List<AppRole> appRoles(String name) {
    List<AppRole> roles = new ArrayList<>();
    for (KeyValue kv : store.list(ConsoleKeys.MAINTAINERS).entries()) {
      String rest = kv.key().substring(ConsoleKeys.MAINTAINERS.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && rest.substring(slash + 1).equals(name)) {
        roles.add(
            new AppRole(rest.substring(0, slash), ConsoleJson.read(kv, Maintainer.class).role()));
      }
    }
    return roles;
  }

  /**
   * A token as stored: never the secret itself, only its SHA-256.
   *
   * @param sha256 hex SHA-256 of the secret part of the token
   */
  private record StoredToken(
      String id, String user, String sha256, Instant created, Instant lastUsed) {
    StoredToken {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(created, "created");
      Objects.requireNonNull(lastUsed, "lastUsed");
    }

    StoredToken usedAt(Instant when) {
      return new StoredToken(id, user, sha256, created, when);
    }
  }
}
