package dev.lain.records.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.store.KeyValue;
import dev.lain.store.Listing;
import dev.lain.store.Store;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Reads and changes the cluster configuration in the store, never writing a value it rejects. */
public final class ClusterConfigStore {
  /**
   * Where LAIN's bootstrap noted the registry the cluster's images came from ({@code -r}). laind
   * does not read it, so it is no {@link ConfigKey}: no rule, not shown by {@code lainctl config},
   * stored as given.
   */
  public static final String REGISTRY_BOOTSTRAP = ConfigKey.PREFIX + "registry_bootstrap";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;

  public ClusterConfigStore(Store store) {
    this.store = store;
  }

  /** Every key at one revision. */
  public ClusterConfig load() {
    Listing listing = store.list(ConfigKey.PREFIX);
    Map<ConfigKey, String> stored = new EnumMap<>(ConfigKey.class);
    for (KeyValue kv : listing.entries()) {
      ConfigKey.named(kv.key().substring(ConfigKey.PREFIX.length()))
          .ifPresent(key -> stored.put(key, kv.value()));
    }
    return ClusterConfig.fromStored(stored, listing.revision());
  }

  public ConfigEntry get(ConfigKey key) {
    return ConfigEntry.of(key, store.get(key.storeKey()).map(KeyValue::value).orElse(null));
  }

  /**
   * Checks {@code raw} and stores its canonical form.
   *
   * @throws ClusterConfigException {@link ClusterConfigException.Code#INVALID_VALUE} with every
   *     problem, having written nothing
   */
  public Change set(ConfigKey key, String raw) {
    return switch (key.parse(raw)) {
      case ConfigValue.Rejected rejected ->
          throw new ClusterConfigException(
              ClusterConfigException.Code.INVALID_VALUE,
              "invalid value for "
                  + key.keyName()
                  + ": "
                  + String.join("; ", rejected.problems())
                  + " (nothing was changed)",
              rejected.problems());
      case ConfigValue.Accepted accepted -> {
        Optional<KeyValue> before = store.get(key.storeKey());
        long revision = store.put(key.storeKey(), accepted.canonical());
        yield new Change(
            key, before.map(KeyValue::value), Optional.of(accepted.canonical()), revision);
      }
    };
  }

  /**
   * Stores {@code ssl} (host pattern to certificate name, in this order) as {@link ConfigKey#SSL},
   * checked as {@link #set} checks it.
   */
  public Change setSsl(Map<String, String> ssl) {
    try {
      return set(ConfigKey.SSL, JSON.writeValueAsString(ssl));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }

  /** The registry {@link #REGISTRY_BOOTSTRAP} names, if one was noted. */
  public Optional<String> registryBootstrap() {
    return store.get(REGISTRY_BOOTSTRAP).map(KeyValue::value);
  }

  /** Notes {@code registry} as {@link #REGISTRY_BOOTSTRAP}, as given; returns the revision. */
  public long setRegistryBootstrap(String registry) {
    return store.put(REGISTRY_BOOTSTRAP, registry);
  }

  /** Removes the key, so its default applies again. */
  public Change unset(ConfigKey key) {
    Optional<KeyValue> before = store.get(key.storeKey());
    store.delete(key.storeKey());
    return new Change(key, before.map(KeyValue::value), Optional.empty(), store.revision());
  }

  /** What a write did. */
  public record Change(
      ConfigKey key, Optional<String> before, Optional<String> after, long revision) {}
}
