package dev.lain.spec;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lists of {@code KEY=VALUE} strings ({@code env}, {@code build_arg}); each key at most once. */
final class KeyValues {
  private KeyValues() {}

  static Map<String, String> read(YNode node, FieldPath path, Diagnostics d, String what) {
    Map<String, String> result = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    Optional<List<YNode>> items = Read.list(node, path, d, "KEY=VALUE strings");
    if (items.isEmpty()) {
      return result;
    }
    for (int i = 0; i < items.get().size(); i++) {
      YNode item = items.get().get(i);
      FieldPath itemPath = path.index(i);
      Optional<String> text = Read.text(item, itemPath, d, "a KEY=VALUE string");
      if (text.isEmpty()) {
        continue;
      }
      int equals = text.get().indexOf('=');
      if (equals < 0) {
        d.violation(
            itemPath, item, Describe.quote(text.get()) + " must be KEY=VALUE, e.g. DEBUG=false");
        continue;
      }
      String key = text.get().substring(0, equals);
      String value = text.get().substring(equals + 1);
      if (!Names.isEnvKey(key)) {
        d.violation(
            itemPath,
            item,
            Describe.quote(key)
                + " is not a valid "
                + what
                + " name: letters, digits and _, not starting with a digit");
        continue;
      }
      Integer earlier = firstLine.putIfAbsent(key, item.at().line());
      if (earlier != null) {
        d.violation(
            itemPath,
            item,
            what
                + " "
                + Describe.quote(key)
                + " is already set at line "
                + earlier
                + "; set each one once");
        continue;
      }
      result.put(key, value);
    }
    return result;
  }
}
