package dev.lain.records.deployd;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lain.api.ApiJson;
import dev.lain.model.deploy.HealthCheck;
import dev.lain.model.deploy.WebSettings;
import java.io.IOException;
import java.util.List;

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
          .addModule(webSettings())
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

  /**
   * Web settings keep their mountpoints as lain.yaml writes them; a stored one that does not parse
   * is kept as {@link WebSettings#unreadable} (reported by the router, never served), not lost.
   */
  private record StoredWeb(
      List<String> mountpoints, boolean defaultMountpoints, boolean httpsOnly) {}

  private static SimpleModule webSettings() {
    SimpleModule module = new SimpleModule("lain-web-settings");
    module.addSerializer(
        WebSettings.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(WebSettings web, JsonGenerator out, SerializerProvider provider)
              throws IOException {
            provider.defaultSerializeValue(
                new StoredWeb(web.mountpointTexts(), web.defaultMountpoints(), web.httpsOnly()),
                out);
          }
        });
    module.addDeserializer(
        WebSettings.class,
        new JsonDeserializer<>() {
          @Override
          public WebSettings deserialize(JsonParser in, DeserializationContext context)
              throws IOException {
            StoredWeb stored = context.readValue(in, StoredWeb.class);
            return WebSettings.ofText(
                stored.mountpoints() == null ? List.of() : stored.mountpoints(),
                stored.defaultMountpoints(),
                stored.httpsOnly());
          }
        });
    return module;
  }

  public static String write(Object value) {
    return ApiJson.write(MAPPER, value);
  }

  /**
   * Reads a record.
   *
   * @throws IllegalArgumentException if {@code json} is not a valid {@code type}
   */
  public static <T> T read(String json, Class<T> type) {
    return ApiJson.read(MAPPER, json, type);
  }

  /** The mapper, for the HTTP API's bodies. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
