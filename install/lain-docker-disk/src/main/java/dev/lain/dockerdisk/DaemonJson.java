package dev.lain.dockerdisk;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges LAIN's settings into Docker's {@code /etc/docker/daemon.json}, keeping every key LAIN does
 * not own (log options, DNS, proxies, ...) as the operator wrote it.
 *
 * <p>Owned keys: {@code storage-driver} (overlay2), {@code data-root}, {@code live-restore} (true:
 * containers keep running while dockerd restarts, so re-running bootstrap does not stop apps). List
 * keys {@code registry-mirrors}, {@code insecure-registries} and {@code labels} gain what is
 * missing and keep what is there. Removed because they contradict overlay2 on a data root: {@code
 * graph} (data-root's old name; dockerd refuses both) and {@code dm.*} storage options.
 */
public final class DaemonJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DefaultPrettyPrinter PRINTER =
      new DefaultPrettyPrinter()
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private DaemonJson() {}

  /**
   * Returns {@code existing} (a daemon.json's text; blank for none) with LAIN's settings merged in,
   * keys in their old order and new ones at the end, two-space indented.
   *
   * @throws StorageException {@code BAD_DAEMON_JSON} if {@code existing} is not a JSON object or a
   *     key LAIN merges into has the wrong type
   */
  public static String merge(String existing, DaemonSettings settings) {
    ObjectNode root = parse(existing);
    root.put("storage-driver", "overlay2");
    root.remove("graph");
    root.put("data-root", settings.dataRoot().toString());
    dropDeviceMapperOptions(root);
    addMissing(root, "registry-mirrors", settings.registryMirrors());
    addMissing(root, "insecure-registries", settings.insecureRegistries());
    mergeLabels(root, settings);
    root.put("live-restore", true);
    try {
      return MAPPER.writer(PRINTER).writeValueAsString(root) + "\n";
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot print a JSON tree", e);
    }
  }

  /**
   * Merges LAIN's settings into {@code file} and replaces it atomically; nothing is written if the
   * existing file cannot be merged or already says all of it.
   *
   * @return whether the file changed (dockerd needs a restart to see it)
   */
  public static boolean write(Path file, DaemonSettings settings) {
    String existing = AtomicFiles.read(file).orElse("");
    String merged;
    try {
      merged = merge(existing, settings);
    } catch (StorageException e) {
      throw new StorageException(e.code(), file + ": " + e.getMessage(), e);
    }
    if (merged.equals(existing)) {
      return false;
    }
    AtomicFiles.write(file, merged);
    return true;
  }

  private static ObjectNode parse(String existing) {
    if (existing.isBlank()) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(existing);
    } catch (JacksonException e) {
      throw bad(
          "not valid JSON ("
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + "); fix or remove it, nothing was written");
    }
    if (!(node instanceof ObjectNode object)) {
      throw bad(
          "must be a JSON object, is "
              + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + "; nothing was written");
    }
    return object;
  }

  private static void dropDeviceMapperOptions(ObjectNode root) {
    ArrayNode options = stringArray(root, "storage-opts");
    if (options == null) {
      return;
    }
    for (Iterator<JsonNode> it = options.elements(); it.hasNext(); ) {
      if (it.next().asText().startsWith("dm.")) {
        it.remove();
      }
    }
    if (options.isEmpty()) {
      root.remove("storage-opts");
    }
  }

  private static void addMissing(ObjectNode root, String key, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    ArrayNode array = stringArray(root, key);
    if (array == null) {
      array = root.putArray(key);
    }
    Set<String> present = new LinkedHashSet<>();
    array.forEach(element -> present.add(element.asText()));
    for (String value : values) {
      if (present.add(value)) {
        array.add(value);
      }
    }
  }

  private static void mergeLabels(ObjectNode root, DaemonSettings settings) {
    if (settings.labels().isEmpty() && settings.defaultLabels().isEmpty()) {
      return;
    }
    ArrayNode array = stringArray(root, "labels");
    List<String> labels = new ArrayList<>();
    if (array != null) {
      array.forEach(element -> labels.add(element.asText()));
    }
    for (String label : settings.labels()) {
      String key = DaemonSettings.key(label);
      // dockerd refuses two values for one key, so the given value replaces the old one.
      labels.removeIf(old -> old.contains("=") && DaemonSettings.key(old).equals(key));
      labels.add(label);
    }
    for (String label : settings.defaultLabels()) {
      String key = DaemonSettings.key(label);
      if (labels.stream()
          .noneMatch(old -> old.contains("=") && DaemonSettings.key(old).equals(key))) {
        labels.add(label);
      }
    }
    ArrayNode merged = root.putArray("labels");
    new LinkedHashSet<>(labels).forEach(merged::add);
  }

  /** The string array at {@code key}, or null if absent; anything else is an error. */
  private static ArrayNode stringArray(ObjectNode root, String key) {
    JsonNode node = root.get(key);
    if (node == null) {
      return null;
    }
    if (!(node instanceof ArrayNode array)) {
      throw bad(
          "\"" + key + "\" must be an array of strings, is " + node + "; nothing was" + " written");
    }
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        throw bad(
            "\""
                + key
                + "\" must be an array of strings, has "
                + element
                + "; nothing was written");
      }
    }
    return array;
  }

  private static StorageException bad(String message) {
    return new StorageException(
        StorageException.Code.BAD_DAEMON_JSON,
        "cannot merge LAIN's settings into daemon.json: " + message);
  }
}
