package dev.lain.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Immutable copies that keep document order (Map.copyOf does not). */
final class Copies {
  private Copies() {}

  static <K, V> Map<K, V> orderedMap(Map<K, V> map) {
    LinkedHashMap<K, V> copy = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return Collections.unmodifiableMap(copy);
  }
}
