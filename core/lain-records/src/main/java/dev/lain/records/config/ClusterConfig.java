package dev.lain.records.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.model.ClusterDomains;
import dev.lain.model.network.Cidr;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cluster configuration as read at one store revision, with defaults applied. */
public record ClusterConfig(Map<ConfigKey, ConfigEntry> entries, long revision) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ClusterConfig {
    EnumMap<ConfigKey, ConfigEntry> copy = new EnumMap<>(ConfigKey.class);
    copy.putAll(entries);
    for (ConfigKey key : ConfigKey.values()) {
      if (!copy.containsKey(key)) {
        throw new IllegalArgumentException("missing entry for " + key.keyName());
      }
    }
    entries = Collections.unmodifiableMap(copy);
  }

  /** A configuration from stored raw values by key (absent keys take their defaults). */
  public static ClusterConfig fromStored(Map<ConfigKey, String> stored, long revision) {
    EnumMap<ConfigKey, ConfigEntry> entries = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      entries.put(key, ConfigEntry.of(key, stored.get(key)));
    }
    return new ClusterConfig(entries, revision);
  }

  public ConfigEntry entry(ConfigKey key) {
    return entries.get(key);
  }

  /** Every entry in {@link ConfigKey} order. */
  public List<ConfigEntry> list() {
    return List.copyOf(entries.values());
  }

  /** The domain and extra domains (and so the main domain), with unusable stored values ignored. */
  public ClusterDomains domains() {
    List<String> extra =
        readJson(entry(ConfigKey.EXTRA_DOMAINS).effective(), new TypeReference<>() {});
    return new ClusterDomains(entry(ConfigKey.DOMAIN).effective(), extra);
  }

  /** The certificate name for each host pattern, in the stored order. */
  public Map<String, String> ssl() {
    return readJson(
        entry(ConfigKey.SSL).effective(), new TypeReference<LinkedHashMap<String, String>>() {});
  }

  /** The nodes' network, if it is set and usable. */
  public Optional<Cidr> nodeNetwork() {
    String value = entry(ConfigKey.NODE_NETWORK).effective();
    return value.isEmpty() ? Optional.empty() : Optional.of(Cidr.parse(value));
  }

  /** Apps that cannot be undeployed. */
  public List<String> protectedApps() {
    return readJson(entry(ConfigKey.PROTECTED_APPS).effective(), new TypeReference<>() {});
  }

  private static <T> T readJson(String canonical, TypeReference<T> type) {
    try {
      return JSON.readValue(canonical, type);
    } catch (JsonProcessingException e) {
      // effective() only returns values the key's parser accepted, or its default.
      throw new IllegalStateException("canonical config value is not JSON: " + canonical, e);
    }
  }
}
