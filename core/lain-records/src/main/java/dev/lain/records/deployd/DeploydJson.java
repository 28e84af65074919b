package dev.lain.records.deployd;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lain.model.deploy.HealthCheck;

/**
 * How deployd's records look in the store: plain JSON, durations and instants as ISO-8601 text,
 * unknown fields ignored (so an older reader survives a newer writer).
 */
public final class DeploydJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .addMixIn(HealthCheck.class, HealthCheckTypes.class)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private DeploydJson() {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = HealthCheck.None.class, name = "none"),
    @JsonSubTypes.Type(value = HealthCheck.Command.class, name = "command"),
    @JsonSubTypes.Type(value = HealthCheck.Http.class, name = "http")
  })
  private interface HealthCheckTypes {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a record.
   *
   * @throws IllegalArgumentException if {@code json} is not a valid {@code type}
   */
  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The mapper, for the HTTP API's bodies. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
