package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lain config}: phases kept in $LAIN_HOME, checked before they are saved. */
class LainConfigTest {
  @TempDir Path home;
  @TempDir Path app;

  private CliRun lain(String... args) {
    return CliRun.lain(Map.of("LAIN_HOME", home.toString()), app, args);
  }

  @Test
  void aPhaseGetsLainsDefaultsFromItsDomain() throws Exception {
    assertThat(lain("config", "save", "local", "domain", "lain.local").exitCode()).isZero();

    CliRun show = lain("config", "show");

    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("local:")
        .contains("console: http://console.lain.local")
        .contains("registry: registry.lain.local")
        .contains("token: (not logged in)");
    Path file = home.resolve("lain.conf.yaml");
    assertThat(Files.readString(file)).contains("domain: lain.local");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void explicitConsoleAndRegistryWinOverTheDomainsDefaults() {
    lain("config", "save", "dev", "domain", "dev.example.com");
    lain("config", "save", "dev", "console", "http://127.0.0.1:9000");
    lain("config", "save", "dev", "registry", "127.0.0.1:5000");

    assertThat(lain("config", "show").out())
        .contains("console: http://127.0.0.1:9000")
        .contains("registry: 127.0.0.1:5000");
  }

  @Test
  void theGlobalRegistryIsTheDefaultOfPhasesWithoutTheirOwn() {
    lain("config", "save-global", "private_docker_registry", "registry.corp:5000");
    lain("config", "save", "x", "domain", "x.io");

    assertThat(lain("config", "show").out())
        .contains("registry: registry.corp:5000")
        .contains("global private_docker_registry: registry.corp:5000");
  }

  @Test
  void badSettingsAreRefusedAndNothingIsWritten() {
    String[][] bad = {
      {"config", "save", "local", "domain", "Not A Domain"},
      {"config", "save", "local", "console", "ftp://x"},
      {"config", "save", "local", "registry", "a b"},
      {"config", "save", "local", "token", "abc"},
      {"config", "save", "local", "colour", "blue"},
      {"config", "save", "../etc", "domain", "a.b"},
      {"config", "save-global", "unknown_key", "x"},
    };
    for (String[] args : bad) {
      CliRun run = lain(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
      assertThat(run.err()).as(String.join(" ", args)).startsWith("error: ");
    }
    assertThat(home.resolve("lain.conf.yaml")).doesNotExist();
  }

  @Test
  void commandsForAnUnknownPhaseSayHowToConfigureIt() throws Exception {
    Files.writeString(
        app.resolve("lain.yaml"),
        "appname: hello\nbuild:\n  base: lain/busybox\n  script: [echo hi]\nweb:\n  cmd: httpd\n  port: 80\n");

    CliRun run = lain("ps", "prod");

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err())
        .contains("no phase prod is configured")
        .contains("lain config save prod domain");
  }

  @Test
  void aConsoleThatIsDownIsNamedWithWhatToCheck() throws Exception {
    Files.writeString(
        app.resolve("lain.yaml"),
        "appname: hello\nbuild:\n  base: lain/busybox\n  script: [echo hi]\nweb:\n  cmd: httpd\n  port: 80\n");
    lain("config", "save", "local", "console", "http://127.0.0.1:9");

    CliRun run = lain("ps", "local");

    assertThat(run.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err())
        .contains("the console of phase local at http://127.0.0.1:9/api/v1/ is unreachable")
        .contains("lain config show");
  }

  @Test
  void aCompletionScriptCoversTheVerbs() {
    CliRun run = lain("generate-completion");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("complete -F")
        .contains("deploy")
        .contains("rollback")
        .contains("logs");
  }
}
