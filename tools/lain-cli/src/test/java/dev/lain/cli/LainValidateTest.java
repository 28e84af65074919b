package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LainValidateTest {
  @TempDir Path app;

  @Test
  void aValidManifestGetsAOneLineSummaryAndExitZero() throws Exception {
    Files.writeString(
        app.resolve("lain.yaml"),
        """
        appname: hello
        build:
          base: golang:1.21
          script:
            - go build -o hello
        web:
          cmd: ./hello
          port: 8080
        worker.sync:
          cmd: ./hello sync
        """);

    CliRun run = CliRun.lain(app, "validate");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo("lain.yaml: valid: app hello, 2 procs (hello.web.web, hello.worker.sync)\n");
  }

  @Test
  void anInvalidManifestListsEveryViolationWithItsLineAndExitsOne() throws Exception {
    Files.writeString(
        app.resolve("lain.yaml"),
        """
        appname: hello
        build:
          base: golang:1.21
          script:
            - go build
        web:
          memory: 32x
          num_instance: 2
        web.admin:
          cmd: ./admin
        """);

    CliRun run = CliRun.lain(app, "validate");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("procs web.memory:")
        .contains("(lain.yaml:7:11)")
        .contains("num_instance")
        .contains("did you mean \"num_instances\"?")
        .contains(
            "procs web.admin: mountpoint required for a web proc not named web (lain.yaml:9:1)")
        .contains("lain.yaml: invalid, 3 problems");
  }

  @Test
  void malformedYamlIsReportedWithItsLine() throws Exception {
    Files.writeString(app.resolve("app.yaml"), "appname: hello\nbuild: [unclosed\n");

    CliRun run = CliRun.lain(app, "validate", "-f", "app.yaml");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: not valid YAML: ").contains("(app.yaml:3:1)");
  }

  @Test
  void aMissingFileIsAClearError() {
    CliRun run = CliRun.lain(app, "validate");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("lain.yaml not found").contains("-f FILE");
  }
}
