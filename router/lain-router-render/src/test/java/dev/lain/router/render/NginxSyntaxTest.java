package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** {@code nginx -t} accepts every golden case and a sample of random tables (if nginx is here). */
class NginxSyntaxTest {
  @TempDir Path temp;

  @TestFactory
  Stream<DynamicTest> nginxAcceptsEveryRenderedConfig() {
    NginxSupport.assumeNginxAndOpenssl();
    List<DynamicTest> tests = new ArrayList<>();
    GoldenCases.all()
        .forEach(
            (name, c) ->
                tests.add(
                    DynamicTest.dynamicTest(name, () -> check(name, c.table(), c.settings()))));
    tests.add(
        DynamicTest.dynamicTest(
            "3000 hosts, some 253 characters long",
            () ->
                assertThat(check("many-hosts", manyHosts(), GoldenCases.TEST_SETTINGS).warnings())
                    .isEmpty()));
    Random random = new Random(20161024L);
    for (int i = 0; i < 20; i++) {
      RouteTable table = RandomTables.table(random, true);
      String name = "random-" + i;
      tests.add(DynamicTest.dynamicTest(name, () -> check(name, table, GoldenCases.TEST_SETTINGS)));
    }
    return tests.stream();
  }

  /** Enough names, and long enough ones, to need the server-name hash sizes of the main config. */
  static RouteTable manyHosts() {
    List<Route> routes = new ArrayList<>();
    String longTail = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".com";
    for (int i = 0; i < 3000; i++) {
      String host =
          i % 3 == 0
              ? String.format("%057d", i) + "." + longTail
              : "app" + i + (i % 2 == 0 ? ".lain.local" : ".example.com");
      routes.add(
          new Route(
              "app" + (i % 50) + ".web.web",
              host,
              i % 5 == 0 ? "/admin" : "",
              i % 7 == 0,
              List.of(new Backend("172.20." + (i % 250) + "." + (1 + i % 200), 80))));
    }
    return RouteTable.of(1, dev.lain.model.ClusterDomains.DEFAULT, routes);
  }

  private RenderedConfig check(String name, RouteTable table, RouterSettings settings)
      throws Exception {
    Path prefix = Files.createDirectories(temp.resolve(name));
    RouterSettings local = NginxSupport.inPrefix(settings, prefix);
    RenderedConfig rendered = NginxRenderer.render(table, local);
    Path main = NginxSupport.prepare(prefix, local, rendered);
    NginxSupport.Result result = NginxSupport.run(NginxSupport.nginx(prefix, main, "-t", "-q"));
    assertThat(result.exitCode())
        .as("nginx -t on %s:\n%s\n--- routes ---\n%s", name, result.output(), rendered.httpConf())
        .isZero();
    assertThat(result.output()).as("nginx -t warnings for %s", name).doesNotContain("[warn]");
    return rendered;
  }
}
