package dev.lain.console;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lain.records.console.Names;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's JSON object, read strictly: unknown fields, wrong types, duplicate fields and
 * trailing text are refused with a message naming the field, never Jackson's own text (it names
 * Java classes).
 */
final class JsonBody {
  /** No console request needs more; anything larger is refused before it is parsed. */
  static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final JsonNode node;

  private JsonBody(JsonNode node) {
    this.node = node;
  }

  /**
   * @param allowed the fields this request takes; an empty body counts as {@code {}}
   */
  static JsonBody parse(byte[] bytes, Set<String> allowed) {
    if (bytes.length > MAX_BYTES) {
      throw tooLarge();
    }
    JsonNode node;
    if (isBlank(bytes)) {
      node = STRICT.createObjectNode();
    } else {
      try {
        node = STRICT.readTree(bytes);
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw ConsoleException.invalid(
            "the body is not valid JSON"
                + (at == null
                    ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
      } catch (IOException e) {
        throw ConsoleException.invalid("the body could not be read");
      }
    }
    if (!node.isObject()) {
      throw ConsoleException.invalid("the body must be a JSON object");
    }
    List<String> unknown = new ArrayList<>();
    node.fieldNames()
        .forEachRemaining(
            f -> {
              if (!allowed.contains(f)) {
                unknown.add(Names.shorten(f));
              }
            });
    if (!unknown.isEmpty()) {
      throw ConsoleException.invalid(
          "unknown field"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + (allowed.isEmpty()
                  ? ": this request takes no body"
                  : "; expected " + String.join(", ", new TreeSet<>(allowed))));
    }
    return new JsonBody(node);
  }

  static ConsoleException tooLarge() {
    return ConsoleException.invalid("the body is larger than " + MAX_BYTES / 1024 + " KiB");
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** A string field; {@code null} counts as absent. */
  Optional<String> string(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ConsoleException.invalid("field " + field + " must be a string");
    }
    return Optional.of(v.textValue());
  }

  String requiredString(String field) {
    return string(field)
        .orElseThrow(() -> ConsoleException.invalid("field " + field + " is required"));
  }

  /** A whole number field; {@code null} counts as absent; {@code 1.0} and {@code "1"} do not. */
  OptionalInt integer(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return OptionalInt.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw ConsoleException.invalid("field " + field + " must be a whole number");
    }
    return OptionalInt.of(v.intValue());
  }

  Optional<Boolean> bool(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw ConsoleException.invalid("field " + field + " must be true or false");
    }
    return Optional.of(v.booleanValue());
  }
}
