package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.exec.CommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code BootstrapMain --execute}: the plan is carried out here, and the exit code says how. */
class ExecuteFlagTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<String> retries = new ArrayList<>();

  private int run(Sandbox sandbox, Function<Options, Facts> probe, String... args) {
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      return BootstrapMain.run(
          args,
          o,
          e,
          probe,
          (options, retry) -> {
            retries.add(retry);
            return sandbox.executor().withRetryCommand(retry);
          });
    }
  }

  @Test
  void executeCarriesOutTheSingleNodePlanInsteadOfHandingItToTheScript(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);

    int code = run(sandbox, o -> Fixtures.freshDebian(), "--execute", "--single-node");

    assertThat(code).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("Plan: single-node")
        .contains("LAIN single-node cluster is up.")
        .contains("  store        embedded:/var/lib/lain/store.db (named in /etc/lain/store")
        .contains("/lain build --push local")
        .doesNotContain("lainctl node add");
    assertThat(sandbox.out()).endsWith("bootstrap finished: 11 step(s) done, 0 already in place\n");
    assertThat(retries).containsExactly("./bootstrap --single-node");
  }

  @Test
  void executeRunsTheClusterPlanAndExitsOneWhenAStepFails(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);
    sandbox.runner.answer("docker build", new CommandRunner.Result(1, "", "no space left"));

    int code =
        run(sandbox, o -> Fixtures.freshDebian(), "-m", "https://m.example.com", "--execute");

    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("is up");
    assertThat(sandbox.err())
        .startsWith("error: step 'base-image' failed: docker build -q -t lain/busybox:latest")
        .contains("run ./bootstrap -m https://m.example.com again to retry");
  }

  @Test
  void aClusterInstallEndsWithWhereThingsAreAndHowToAddNodes(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);

    int code =
        run(sandbox, o -> Fixtures.freshDebian(), "-m", "https://m.example.com", "--execute");

    assertThat(code).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed.substring(printed.indexOf("LAIN cluster is up")))
        .contains("LAIN cluster is up: node1 is its first node.")
        .contains("  store        etcd://192.168.77.21:2379 (named in /etc/lain/store")
        .contains("certificate 'web' for *.lain.local and *.lain, signed by the CA in")
        .contains("  node         node1 (192.168.77.21)")
        .contains("lainctl node add -p /opt/lain --docker-device=/dev/vdb node2:NODE2_IP");
  }

  @Test
  void executeChangesNothingWhenPreflightFails(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);

    int code =
        run(sandbox, o -> Fixtures.freshDebian().withUid(1000), "--execute", "--single-node");

    assertThat(code).isEqualTo(1);
    assertThat(retries).isEmpty();
    assertThat(sandbox.runner.recorded()).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing was changed");
  }

  @Test
  void dryRunWithExecuteOnlyPrints(@TempDir Path dir) {
    Sandbox sandbox = new Sandbox(dir, true);

    int code = run(sandbox, o -> Fixtures.freshDebian(), "--execute", "--dry-run");

    assertThat(code).isZero();
    assertThat(retries).isEmpty();
    assertThat(sandbox.runner.recorded()).isEmpty();
  }
}
