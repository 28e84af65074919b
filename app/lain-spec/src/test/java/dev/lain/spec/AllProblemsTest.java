package dev.lain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllProblemsTest {

  @Test
  void manifestWithSeveralProblemsReportsAllOfThemInDocumentOrder() {
    String yaml =
        """
        appname: hello_world
        build:
          base: golang
          scrpit: [go build]
        web:
          memory: 32x
          num_instance: 2
        web.admin:
          cmd: ./admin
        worker:
          env: [A=1, A=2]
          volumes: [../data]
          setup_time: 500
        portal.cache:
          port: 99999
        """;

    ValidationResult result = LainYaml.validate(yaml);

    assertThat(result).isInstanceOf(ValidationResult.Invalid.class);
    List<String> formatted =
        ((ValidationResult.Invalid) result)
            .violations().stream().map(d -> d.format("lain.yaml")).toList();
    assertThat(formatted)
        .containsExactly(
            "appname: \"hello_world\" must match ^[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$ (letters and"
                + " digits in groups joined by single '-', starting with a letter), e.g. hello-world"
                + " (lain.yaml:1:10)",
            "build.script: is required: a list of shell commands run in /lain/app (lain.yaml:2:1)",
            "build.scrpit: unknown key \"scrpit\", did you mean \"script\"? (lain.yaml:4:3)",
            "procs web.memory: \"32x\" must match <n>[mMgG], e.g. 256m or 1g (lain.yaml:6:11)",
            "procs web.num_instance: unknown key \"num_instance\", did you mean \"num_instances\"?"
                + " (lain.yaml:7:3)",
            "procs web.admin: mountpoint required for a web proc not named web (lain.yaml:8:1)",
            "procs worker.env[1]: variable \"A\" is already set at line 11; set each one once"
                + " (lain.yaml:11:14)",
            "procs worker.volumes[0]: \"../data\" must not contain '..' (lain.yaml:12:13)",
            "procs portal.cache.service_name: is required for a portal proc: the name client apps"
                + " list in use_services (lain.yaml:14:1)",
            "procs portal.cache.port: 99999 is out of range: must be 1..65535 (lain.yaml:15:9)");
  }

  @Test
  void warningsAreNotReportedAlongsideViolations() {
    ValidationResult result =
        LainYaml.validate(
            "appname: hello\nbuild: {base: x, script: []}\nworker:\n  setup_time: 500\n  cpu: 9\n");

    assertThat(result.diagnostics())
        .extracting(Diagnostic::path)
        .containsExactly("procs worker.cpu");
  }

  @Test
  void diagnosticFormatNamesTheFileLineAndColumn() {
    assertThat(
            new Diagnostic(
                    "procs web.admin", "mountpoint required for a web proc not named web", 12, 3)
                .format("lain.yaml"))
        .isEqualTo(
            "procs web.admin: mountpoint required for a web proc not named web (lain.yaml:12:3)");
    assertThat(new Diagnostic("", "the file is empty", 1, 1).format("app/lain.yaml"))
        .isEqualTo("the file is empty (app/lain.yaml:1:1)");
  }
}
