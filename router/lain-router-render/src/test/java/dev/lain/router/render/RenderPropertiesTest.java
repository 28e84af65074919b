package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties over many random tables (seeded, so a failure repeats). */
class RenderPropertiesTest {
  private static final int TABLES = 3000;

  @Test
  void hostileTablesAlwaysRenderOnlyTheStatementsTheRendererMeans() {
    Random random = new Random(42);
    for (int i = 0; i < TABLES; i++) {
      RouteTable table = RandomTables.table(random, true);
      RenderedConfig rendered = NginxRenderer.render(table, GoldenCases.TEST_SETTINGS);
      assertThat(ConfChecker.check(rendered.httpConf()))
          .as("table %d: %s\n%s", i, table, rendered.httpConf())
          .isEmpty();
      for (String warning : rendered.warnings()) {
        assertThat(warning).as("a warning is one printable ASCII line").matches("[ -~]+");
      }
    }
  }

  @Test
  void hostileTextNeverReachesTheConfig() {
    Random random = new Random(7);
    for (int i = 0; i < TABLES; i++) {
      RouteTable table = RandomTables.table(random, true);
      String conf = NginxRenderer.render(table, GoldenCases.TEST_SETTINGS).httpConf();
      String withoutComments = conf.replaceAll("(?m)#.*$", "");
      for (String bad : List.of("\r", "\t", "\u0000", "\u2028", "\u00e9", "\u212a", "\\\\")) {
        assertThat(conf).as("table %d", i).doesNotContain(bad);
      }
      assertThat(withoutComments.replace("$host", "").replace("$request_uri", ""))
          .as("no variable but $host, $request_uri and $lain_redirect_to_https, table %d", i)
          .doesNotContain("$host")
          .matches(s -> !s.replace("$lain_redirect_to_https", "").contains("$"), "no other $");
    }
  }

  @Test
  void validTablesServeEveryMountpointWithoutSkipping() {
    Random random = new Random(11);
    for (int i = 0; i < TABLES; i++) {
      RouteTable table = RandomTables.table(random, false);
      RenderedConfig rendered = NginxRenderer.render(table, GoldenCases.TEST_SETTINGS);
      assertThat(rendered.warnings()).noneMatch(w -> w.startsWith("skipped"));
      assertThat(ConfChecker.check(rendered.httpConf())).isEmpty();
      for (Route route : table.routes()) {
        assertThat(rendered.httpConf())
            .containsPattern(
                "server_name [^;]*(?<= )"
                    + java.util.regex.Pattern.quote(route.host() + " *." + route.host())
                    + "[ ;]")
            .contains(route.path().isEmpty() ? "location / {" : "location " + route.path() + "/ {")
            .contains(
                route.path().isEmpty() ? "location / {" : "location = " + route.path() + " {");
      }
    }
  }

  @Test
  void theOrderOfRoutesAndBackendsDoesNotChangeTheOutput() {
    Random random = new Random(3);
    for (int i = 0; i < 500; i++) {
      RouteTable table = RandomTables.table(random, i % 2 == 0);
      List<Route> shuffled = new ArrayList<>();
      for (Route route : table.routes()) {
        List<Backend> backends = new ArrayList<>(route.backends());
        Collections.shuffle(backends, random);
        shuffled.add(route.withBackends(backends));
      }
      Collections.shuffle(shuffled, random);
      assertThat(NginxRenderer.render(table.withRoutes(shuffled), GoldenCases.TEST_SETTINGS))
          .isEqualTo(NginxRenderer.render(table, GoldenCases.TEST_SETTINGS));
    }
  }
}
