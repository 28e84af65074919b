package dev.lain.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small rules the readers are built from, and the records' own invariants. */
class RulesTest {

  @Test
  void suggestionsOnlyForLikelyTypos() {
    assertThat(Suggestions.closest("memroy", ProcReader.FIELDS)).contains("memory");
    assertThat(Suggestions.closest("replicas", ProcReader.FIELDS)).isEmpty();
    assertThat(Suggestions.closest("x".repeat(10_000), ProcReader.FIELDS)).isEmpty();
  }

  @Test
  void containerPathsAreNormalised() {
    assertThat(ContainerPaths.absolute("a/./b//c/", true)).isEqualTo(Checked.ok("/lain/app/a/b/c"));
    assertThat(ContainerPaths.absolute("/", true)).isEqualTo(Checked.ok("/"));
    assertThat(ContainerPaths.absolute("x", false)).isInstanceOf(Checked.Bad.class);
    assertThat(ContainerPaths.absolute("/data:ro", true)).isInstanceOf(Checked.Bad.class);
    assertThat(ContainerPaths.absolute("a/../b", true)).isInstanceOf(Checked.Bad.class);
    assertThat(ContainerPaths.relative("./app.log", "/lain/logs")).isEqualTo(Checked.ok("app.log"));
    assertThat(ContainerPaths.relative(".", "/lain/logs")).isInstanceOf(Checked.Bad.class);
  }

  @Test
  void giturlNormalisationMatchesConsole() {
    assertThat(ManifestReader.normaliseGiturl("github.com/laincloud/console.git"))
        .isEqualTo("http://github.com/laincloud/console");
    assertThat(ManifestReader.normaliseGiturl("ssh://git@example.com/x.git"))
        .isEqualTo("ssh://git@example.com/x");
    assertThat(ManifestReader.normaliseGiturl("  ")).isEmpty();
  }

  @Test
  void yamlCoreIntegersIncludeOctalAndHex() {
    assertThat(Read.parseInteger("0o17")).contains(15L);
    assertThat(Read.parseInteger("0x1F")).contains(31L);
    assertThat(Read.parseInteger("+7")).contains(7L);
    assertThat(Read.parseInteger("99999999999999999999")).isEmpty();
    assertThat(Read.parseInteger("1_000")).isEmpty();
  }

  @Test
  void messagesQuoteValuesOnOneLineAndShortenThem() {
    assertThat(Describe.quote("a\"b\nc")).isEqualTo("\"a\\\"b\\nc\"");
    assertThat(Describe.quote("x".repeat(100))).hasSize(65).endsWith("...\"");
  }

  @Test
  void recordsRefuseImpossibleValues() {
    assertThatThrownBy(() -> new Port(0, Protocol.TCP))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StreamPort(80, 80, Protocol.TCP, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Volume("/lain/app", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Filter(Filter.Kind.CONSTRAINT, "group", "=", "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ContainerHealthcheck("true", 5, 3, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortalSettings("", "**"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Diagnostic("appname", "x", 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Diagnostic("appname", " ", 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ValidationResult.Invalid(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void procSpecRefusesAProcThatLainCouldNotRun() {
    ProcSpec web =
        Manifests.spec("appname: a\nbuild: {base: x, script: []}\nweb: {}\n").procs().getFirst();

    assertThatThrownBy(() -> web.withCpu(9)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> web.withNumInstances(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(web.withImage("x").image()).isEqualTo(Optional.of("x"));
  }

  @Test
  void appSpecRefusesDuplicateProcNames() {
    AppSpec app =
        Manifests.spec("appname: a\nbuild: {base: x, script: []}\nworker: {}\nworker.b: {}\n");
    List<ProcSpec> twice = List.of(app.procs().getFirst(), app.procs().getFirst());

    assertThatThrownBy(
            () ->
                new AppSpec(
                    "a",
                    "",
                    AppType.APP,
                    app.build(),
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    Map.of(),
                    NotifySpec.NONE,
                    twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate proc name");
  }
}
