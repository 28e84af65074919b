package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Renders every case of {@link GoldenCases} and the main configs, and compares them with {@code
 * src/test/resources/golden/*.conf}.
 *
 * <p>After an intended change, regenerate the files and review the diff:
 *
 * <pre>./mvnw -f lain-router-render/pom.xml test -Dtest=GoldenFilesTest -Dgolden.update=true
 * git diff lain-router-render/src/test/resources/golden</pre>
 */
class GoldenFilesTest {
  static final Path GOLDEN_DIR = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  /** The golden text of a case: the routes file, then what the renderer reported, as comments. */
  static String golden(RenderedConfig rendered) {
    StringBuilder text = new StringBuilder(rendered.httpConf());
    text.append("\n# ---- not part of the config: what the renderer reported ----\n");
    text.append("# certificates used: ")
        .append(
            rendered.certificatesUsed().isEmpty()
                ? "none"
                : String.join(", ", rendered.certificatesUsed()))
        .append('\n');
    for (String warning : rendered.warnings()) {
      text.append("# warning: ").append(warning).append('\n');
    }
    return text.toString();
  }

  static Map<String, String> mainConfigs() {
    return Map.of(
        "main-production",
        NginxRenderer.mainConfig(
            RouterSettings.production("/etc/lain/router/ssl", "/var/log/lain/router/access.log"),
            "/run/lain/router/nginx.pid",
            "/var/log/lain/router/error.log",
            "/var/lib/lain/router/routes.conf",
            "/var/lib/lain/router/tmp"),
        "main-test",
        NginxRenderer.mainConfig(
            GoldenCases.TEST_SETTINGS.withTuning(
                RouterSettings.Tuning.DEFAULT.withWorkerProcesses(2)),
            "/tmp/router/nginx.pid",
            "stderr",
            "/tmp/router/routes.conf",
            "/tmp/router/tmp/"));
  }

  @TestFactory
  Stream<DynamicTest> routesFilesMatchTheirGoldenFiles() {
    List<DynamicTest> tests = new ArrayList<>();
    GoldenCases.all()
        .forEach(
            (name, c) ->
                tests.add(
                    DynamicTest.dynamicTest(
                        name,
                        () -> {
                          RenderedConfig rendered = NginxRenderer.render(c.table(), c.settings());
                          assertThat(ConfChecker.check(rendered.httpConf())).isEmpty();
                          compare(name, golden(rendered));
                        })));
    mainConfigs()
        .forEach(
            (name, text) -> tests.add(DynamicTest.dynamicTest(name, () -> compare(name, text))));
    return tests.stream();
  }

  private static void compare(String name, String actual) throws IOException {
    Path file = GOLDEN_DIR.resolve(name + ".conf");
    if (UPDATE) {
      Files.createDirectories(GOLDEN_DIR);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file)
        .as("golden file %s is missing: run with -Dgolden.update=true and review it", file)
        .exists();
    assertThat(actual)
        .as(
            "%s differs from its golden file (regenerate with -Dgolden.update=true and review)",
            name)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
