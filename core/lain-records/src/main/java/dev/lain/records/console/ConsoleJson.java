package dev.lain.records.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lain.api.ApiJson;
import dev.lain.store.KeyValue;

/** The console's records in the store, in the JSON its API answers ({@link ApiJson}). */
final class ConsoleJson {
  private ConsoleJson() {}

  static String write(Object value) {
    return ApiJson.write(value);
  }

  /** A stored record; a broken one is a bug or a hand edit, reported as such. */
  static <T> T read(KeyValue kv, Class<T> type) {
    try {
      return ApiJson.MAPPER.readValue(kv.value(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable " + type.getSimpleName() + " at " + kv.key() + ": " + e.getOriginalMessage(),
          e);
    }
  }
}
