package dev.lain.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lain.model.console.Role;
import java.io.IOException;

/**
 * The console's JSON, on the wire and for its records in the store (LAIN kept them in the shape its
 * API answered): snake_case fields, instants as ISO-8601 text, roles as {@code admin}/{@code
 * normal}, absent optionals left out, unknown fields ignored when reading (an older reader survives
 * a newer writer).
 */
public final class ApiJson {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .addModule(roles())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_ABSENT, JsonInclude.Include.NON_ABSENT))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ApiJson() {}

  public static String write(Object value) {
    return write(MAPPER, value);
  }

  /**
   * Reads {@code json} as {@code type}.
   *
   * @throws IllegalArgumentException if it is not one, saying why
   */
  public static <T> T read(String json, Class<T> type) {
    return read(MAPPER, json, type);
  }

  /** {@code value} as {@code mapper} writes it; a value that cannot be written is a bug. */
  public static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads {@code json} as {@code type} with {@code mapper}.
   *
   * @throws IllegalArgumentException if it is not one, saying why
   */
  public static <T> T read(ObjectMapper mapper, String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  private static SimpleModule roles() {
    SimpleModule module = new SimpleModule("lain-roles");
    module.addSerializer(
        Role.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Role role, JsonGenerator out, SerializerProvider provider)
              throws IOException {
            out.writeString(role.wireName());
          }
        });
    module.addDeserializer(
        Role.class,
        new JsonDeserializer<>() {
          @Override
          public Role deserialize(JsonParser in, DeserializationContext context)
              throws IOException {
            String text = in.getValueAsString();
            return Role.named(text == null ? "" : text)
                .orElseThrow(
                    () -> context.weirdStringException(text, Role.class, "use admin or normal"));
          }
        });
    return module;
  }
}
