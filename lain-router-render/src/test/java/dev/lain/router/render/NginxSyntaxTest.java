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
    Random random = new Random(20161024L);
    for (int i = 0; i < 20; i++) {
      RouteTable table = RandomTables.table(random, true);
      String name = "random-" + i;
      tests.add(DynamicTest.dynamicTest(name, () -> check(name, table, GoldenCases.TEST_SETTINGS)));
    }
    return tests.stream();
  }

  private void check(String name, RouteTable table, RouterSettings settings) throws Exception {
    Path prefix = Files.createDirectories(temp.resolve(name));
    RouterSettings local = NginxSupport.inPrefix(settings, prefix);
    RenderedConfig rendered = NginxRenderer.render(table, local);
    Path main = NginxSupport.prepare(prefix, local, rendered);
    NginxSupport.Result result = NginxSupport.run(NginxSupport.nginx(prefix, main, "-t", "-q"));
    assertThat(result.exitCode())
        .as("nginx -t on %s:\n%s\n--- routes ---\n%s", name, result.output(), rendered.httpConf())
        .isZero();
    assertThat(result.output()).as("nginx -t warnings for %s", name).doesNotContain("[warn]");
  }
}
