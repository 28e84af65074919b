package dev.lain.records.config;

import java.util.List;
import java.util.Objects;

/**
 * One key's state.
 *
 * @param value the stored value when {@link Source#SET} (even if it breaks the rules: someone may
 *     have written it with etcdctl), the default when {@link Source#DEFAULT}, else empty
 * @param problems why a stored value is not usable; empty when it is
 */
public record ConfigEntry(ConfigKey key, String value, Source source, List<String> problems) {
  public enum Source {
    /** Written to the store. */
    SET,
    /** Not in the store; the key's default applies. */
    DEFAULT,
    /** Not in the store, and the key has no default. */
    UNSET
  }

  public ConfigEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
    problems = List.copyOf(problems);
  }

  /** The entry for {@code key} given its stored value, or null when nothing is stored. */
  static ConfigEntry of(ConfigKey key, String stored) {
    if (stored == null) {
      return key.defaultValue()
          .map(d -> new ConfigEntry(key, d, Source.DEFAULT, List.of()))
          .orElseGet(() -> new ConfigEntry(key, "", Source.UNSET, List.of()));
    }
    return switch (key.parse(stored)) {
      case ConfigValue.Accepted accepted -> new ConfigEntry(key, stored, Source.SET, List.of());
      case ConfigValue.Rejected rejected ->
          new ConfigEntry(key, stored, Source.SET, rejected.problems());
    };
  }

  /** The canonical value to act on: the stored one if usable, else the default (or empty). */
  public String effective() {
    if (problems.isEmpty()) {
      return source == Source.SET ? ((ConfigValue.Accepted) key.parse(value)).canonical() : value;
    }
    return key.defaultValue().orElse("");
  }
}
