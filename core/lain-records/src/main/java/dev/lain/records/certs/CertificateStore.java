package dev.lain.records.certs;

import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ConfigKey;
import dev.lain.store.KeyValue;
import dev.lain.store.Listing;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import dev.lain.store.TxnResult;
import dev.lain.tls.CheckedCertificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The webrouter's certificates in the store, one JSON record ({@link StoredCertificate}) per name
 * at {@code /lain/webrouter/certs/<name>}. {@code /lain/config/ssl} points host patterns at these
 * names; a certificate still pointed at is not removed unless forced.
 *
 * <p>Writes are compare-and-set on the revisions read just before, so a concurrent change is seen
 * (and retried) rather than overwritten.
 */
public final class CertificateStore {
  /** The store directory holding every certificate. */
  public static final String PREFIX = "/lain/webrouter/certs/";

  /** Certificate names, the same rule as the values of {@code /lain/config/ssl}. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final int ATTEMPTS = 5;

  private final Store store;
  private final InstantSource clock;

  /**
   * @param clock stamps {@link StoredCertificate#addedAt}
   */
  public CertificateStore(Store store, InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Why {@code name} cannot name a certificate, or empty if it can. */
  public static Optional<String> nameProblem(String name) {
    if (NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "certificate name '"
            + name
            + "' must start with a letter or digit and hold only letters, digits, '.', '_' and"
            + " '-' (at most 128 characters), e.g. web or example.com");
  }

  /** The store key of certificate {@code name}. */
  public static String storeKey(String name) {
    return PREFIX + checkName(name);
  }

  /** Stores {@code certificate} as {@code name}, replacing any certificate of that name. */
  public Added add(String name, CheckedCertificate certificate) {
    return add(name, certificate, true);
  }

  /**
   * Stores {@code certificate} as {@code name}.
   *
   * @param replace whether an existing certificate of that name may be replaced
   * @throws CertificateStoreException {@link CertificateStoreException.Code#EXISTS} when it may not
   *     and one exists; {@link CertificateStoreException.Code#INVALID_NAME}; nothing is written in
   *     either case
   */
  public Added add(String name, CheckedCertificate certificate, boolean replace) {
    String key = storeKey(name);
    StoredCertificate stored = StoredCertificate.of(name, certificate, clock.instant());
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KeyValue> before = store.get(key);
      Optional<CertificateSummary> previous =
          before.flatMap(kv -> readable(name, kv.value())).map(StoredCertificate::summary);
      if (before.isPresent() && !replace) {
        throw new CertificateStoreException(
            CertificateStoreException.Code.EXISTS,
            "a certificate named '"
                + name
                + "' already exists"
                + previous.map(p -> " (serving " + String.join(", ", p.hosts()) + ")").orElse("")
                + "; nothing was written");
      }
      long expected = before.map(KeyValue::modRevision).orElse(0L);
      TxnResult result =
          store.commit(
              Txn.when(List.of(new Txn.ModRevisionIs(key, expected)))
                  .then(List.of(new Txn.Put(key, stored.toJson()))));
      if (result.succeeded()) {
        return new Added(stored, before.isPresent(), previous, result.revision());
      }
    }
    throw conflict("add", name);
  }

  /**
   * The certificate called {@code name}.
   *
   * @throws CertificateStoreException {@link CertificateStoreException.Code#UNREADABLE} when the
   *     stored record is broken
   */
  public Optional<StoredCertificate> get(String name) {
    return store.get(storeKey(name)).map(kv -> read(name, kv.value()));
  }

  /** Every certificate, without keys, sorted by name; broken records are listed apart. */
  public CertificateList list() {
    Listing listing = store.list(PREFIX);
    List<CertificateSummary> certificates = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    for (KeyValue kv : listing.entries()) {
      String name = kv.key().substring(PREFIX.length());
      Optional<String> nameProblem = nameProblem(name);
      if (nameProblem.isPresent()) {
        unreadable.add(new Unreadable(name, "the key " + kv.key() + " is not a certificate name"));
        continue;
      }
      try {
        certificates.add(read(name, kv.value()).summary());
      } catch (CertificateStoreException e) {
        unreadable.add(new Unreadable(name, e.getMessage()));
      }
    }
    return new CertificateList(certificates, unreadable, listing.revision());
  }

  /**
   * Removes certificate {@code name}.
   *
   * @param force remove it even while {@code /lain/config/ssl} points patterns at it (the hosts of
   *     those patterns then get the next best certificate, or none)
   * @throws CertificateStoreException {@link CertificateStoreException.Code#NOT_FOUND}, or {@link
   *     CertificateStoreException.Code#IN_USE} naming the patterns in {@link
   *     CertificateStoreException#details()}; nothing is removed in either case
   */
  public Removed remove(String name, boolean force) {
    String key = storeKey(name);
    String sslKey = ConfigKey.SSL.storeKey();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KeyValue> current = store.get(key);
      if (current.isEmpty()) {
        throw new CertificateStoreException(
            CertificateStoreException.Code.NOT_FOUND,
            "there is no certificate named '" + name + "' (lainctl ssl list shows them)");
      }
      Optional<KeyValue> ssl = store.get(sslKey);
      List<String> usedBy = patternsFor(name, sslMap(ssl));
      if (!usedBy.isEmpty() && !force) {
        throw new CertificateStoreException(
            CertificateStoreException.Code.IN_USE,
            "certificate '"
                + name
                + "' is still used by the /lain/config/ssl pattern(s) "
                + String.join(", ", usedBy)
                + "; point them at another certificate first (lainctl config set ssl ...);"
                + " nothing was removed",
            usedBy);
      }
      // The certificate must not change, nor /lain/config/ssl start using it, while we decide.
      TxnResult result =
          store.commit(
              Txn.when(
                      List.of(
                          new Txn.ModRevisionIs(key, current.get().modRevision()),
                          new Txn.ModRevisionIs(sslKey, ssl.map(KeyValue::modRevision).orElse(0L))))
                  .then(List.of(new Txn.Delete(key))));
      if (result.succeeded()) {
        Optional<CertificateSummary> removed =
            readable(name, current.get().value()).map(StoredCertificate::summary);
        return new Removed(name, removed, usedBy, result.revision());
      }
    }
    throw conflict("remove", name);
  }

  /** {@code /lain/config/ssl} as LAIN uses it: an unusable stored value counts as its default. */
  public Map<String, String> sslMap() {
    return sslMap(store.get(ConfigKey.SSL.storeKey()));
  }

  /** The {@code /lain/config/ssl} patterns pointing at {@code name}, sorted. */
  public List<String> usedBy(String name) {
    return patternsFor(name, sslMap());
  }

  /** The patterns of {@code sslMap} that point at {@code certificate}, sorted. */
  public static List<String> patternsFor(String certificate, Map<String, String> sslMap) {
    return sslMap.entrySet().stream()
        .filter(e -> e.getValue().equals(certificate))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** What {@link #add} did. */
  public record Added(
      StoredCertificate certificate,
      boolean replaced,
      Optional<CertificateSummary> previous,
      long revision) {
    public Added {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(previous, "previous");
    }
  }

  /**
   * What {@link #remove} did.
   *
   * @param certificate the removed certificate, if its record was readable
   * @param stillUsedBy patterns that pointed at it (non-empty only when forced)
   */
  public record Removed(
      String name,
      Optional<CertificateSummary> certificate,
      List<String> stillUsedBy,
      long revision) {
    public Removed {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(certificate, "certificate");
      stillUsedBy = List.copyOf(stillUsedBy);
    }
  }

  /** Every certificate at one store revision. */
  public record CertificateList(
      List<CertificateSummary> certificates, List<Unreadable> unreadable, long revision) {
    public CertificateList {
      certificates = List.copyOf(certificates);
      unreadable = List.copyOf(unreadable);
    }

    /** The names of the readable certificates. */
    public List<String> names() {
      return certificates.stream().map(CertificateSummary::name).toList();
    }
  }

  /** A record under {@link #PREFIX} that cannot be read, and why. */
  public record Unreadable(String name, String problem) {}

  private static Map<String, String> sslMap(Optional<KeyValue> stored) {
    Map<ConfigKey, String> raw =
        stored.map(kv -> Map.of(ConfigKey.SSL, kv.value())).orElse(Map.of());
    return ClusterConfig.fromStored(raw, 0).ssl();
  }

  private static StoredCertificate read(String name, String json) {
    StoredCertificate stored;
    try {
      stored = StoredCertificate.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw unreadable(name, e.getMessage());
    }
    if (!stored.name().equals(name)) {
      throw unreadable(name, "it names itself '" + stored.name() + "'");
    }
    return stored;
  }

  private static Optional<StoredCertificate> readable(String name, String json) {
    try {
      return Optional.of(read(name, json));
    } catch (CertificateStoreException e) {
      return Optional.empty();
    }
  }

  private static CertificateStoreException unreadable(String name, String why) {
    return new CertificateStoreException(
        CertificateStoreException.Code.UNREADABLE,
        "the stored certificate '"
            + name
            + "' ("
            + PREFIX
            + name
            + ") is unreadable: "
            + why
            + "; add it again to replace it, or remove it");
  }

  private static CertificateStoreException conflict(String what, String name) {
    return new CertificateStoreException(
        CertificateStoreException.Code.CONFLICT,
        "could not "
            + what
            + " certificate '"
            + name
            + "': its keys kept changing under us; nothing was written, try again");
  }

  private static String checkName(String name) {
    nameProblem(name)
        .ifPresent(
            problem -> {
              throw new CertificateStoreException(
                  CertificateStoreException.Code.INVALID_NAME, problem);
            });
    return name;
  }
}
