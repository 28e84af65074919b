package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.console.ConsoleHarness.Response;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document and the routes the server registers are the same set. */
class OpenApiCoverageTest {
  static ConsoleHarness h;

  @BeforeAll
  static void start() {
    h = new ConsoleHarness();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneIsRegistered() {
    Response r = h.get("/api/v1/openapi.json", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("openapi").asText()).startsWith("3.");

    Set<String> documented = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : r.json().path("paths").properties()) {
      path.getValue()
          .fieldNames()
          .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }
    Set<String> registered =
        h.server.endpoints().stream()
            .map(e -> e.method() + " " + e.path())
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(registered).hasSizeGreaterThan(25);
    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void everyPathParameterIsDeclaredAndEveryReferencedSchemaExists() {
    JsonNode doc = h.get("/api/v1/openapi.json", null).json();
    Set<String> schemas = new TreeSet<>();
    doc.path("components").path("schemas").fieldNames().forEachRemaining(schemas::add);
    doc.path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          Set<String> declared = new TreeSet<>();
                          for (JsonNode p : op.getValue().path("parameters")) {
                            if (p.path("in").asText().equals("path")) {
                              declared.add(p.path("name").asText());
                            }
                          }
                          Set<String> inPath = new TreeSet<>();
                          var m =
                              java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path.getKey());
                          while (m.find()) {
                            inPath.add(m.group(1));
                          }
                          assertThat(declared)
                              .as(op.getKey() + " " + path.getKey())
                              .isEqualTo(inPath);
                        }));
    var refs =
        java.util.regex.Pattern.compile("#/components/schemas/(\\w+)").matcher(doc.toString());
    while (refs.find()) {
      assertThat(schemas).contains(refs.group(1));
    }
  }
}
