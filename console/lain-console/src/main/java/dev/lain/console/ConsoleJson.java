package dev.lain.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lain.store.KeyValue;

/**
 * The console's JSON, in the store and on the wire: snake_case fields as LAIN's console used,
 * instants as ISO-8601 text, unknown stored fields ignored (an older console survives a newer one's
 * records).
 */
final class ConsoleJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ConsoleJson() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** A stored record; a broken one is a bug or a hand edit, reported as such. */
  static <T> T read(KeyValue kv, Class<T> type) {
    try {
      return MAPPER.readValue(kv.value(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable " + type.getSimpleName() + " at " + kv.key() + ": " + e.getOriginalMessage(),
          e);
    }
  }
}
