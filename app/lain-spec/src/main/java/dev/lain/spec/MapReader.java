package dev.lain.spec;

import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one YAML mapping: reports keys that are not strings, duplicate keys (YAML parsers silently
 * keep the last one, which hides mistakes) and, on request, unknown keys. Later lookups see the
 * first occurrence of each key.
 */
final class MapReader {
  private final FieldPath path;
  private final Position owner;
  private final Diagnostics diagnostics;
  private final Map<String, YNode.Entry> entries = new LinkedHashMap<>();

  /**
   * @param owner where to report missing required keys: the key that holds this mapping
   */
  MapReader(YNode.Mapping mapping, FieldPath path, Position owner, Diagnostics diagnostics) {
    this.path = path;
    this.owner = owner;
    this.diagnostics = diagnostics;
    for (YNode.Entry entry : mapping.entries()) {
      if (!(entry.key() instanceof YNode.Scalar key)) {
        diagnostics.violation(
            path, entry.key(), "keys must be plain strings, got " + Describe.node(entry.key()));
        continue;
      }
      YNode.Entry first = entries.putIfAbsent(key.text(), entry);
      if (first != null) {
        diagnostics.violation(
            path.key(key.text()),
            key,
            "duplicate key "
                + Describe.quote(key.text())
                + " (first at line "
                + first.key().at().line()
                + "); YAML would silently keep only the last value, so remove one");
      }
    }
  }

  /** An empty mapping, for a key written with no value ({@code test:}). */
  static MapReader empty(FieldPath path, Position owner, Diagnostics diagnostics) {
    return new MapReader(new YNode.Mapping(List.of(), owner), path, owner, diagnostics);
  }

  /** Reports every key not in {@code allowed}, suggesting the closest allowed key. */
  void rejectUnknownKeys(List<String> allowed) {
    for (YNode.Entry entry : entries.values()) {
      String key = ((YNode.Scalar) entry.key()).text();
      if (!allowed.contains(key)) {
        diagnostics.violation(path.key(key), entry.key(), Suggestions.unknownKey(key, allowed));
      }
    }
  }

  FieldPath path(String key) {
    return path.key(key);
  }

  /** Whether the key is written at all, even with an empty value. */
  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The value of a key, unless it is absent or null: an explicit null means "use the default". */
  Optional<YNode> value(String key) {
    YNode.Entry entry = entries.get(key);
    if (entry == null || (entry.value() instanceof YNode.Scalar s && s.isNull())) {
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  Optional<YNode.Scalar> keyNode(String key) {
    YNode.Entry entry = entries.get(key);
    return entry == null ? Optional.empty() : Optional.of((YNode.Scalar) entry.key());
  }

  /** The value of a required key; reports it as missing (at the owning key) if absent or null. */
  Optional<YNode> required(String key, String expected) {
    Optional<YNode> value = value(key);
    if (value.isEmpty()) {
      Position at = keyNode(key).map(YNode::at).orElse(owner);
      diagnostics.violation(path.key(key), at, "is required: " + expected);
    }
    return value;
  }

  /** Each key once (its first occurrence), in document order. */
  List<YNode.Entry> entries() {
    return new ArrayList<>(entries.values());
  }

  static String keyText(YNode.Entry entry) {
    return ((YNode.Scalar) entry.key()).text();
  }
}
