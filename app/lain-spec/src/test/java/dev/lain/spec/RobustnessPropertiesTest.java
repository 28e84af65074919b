package dev.lain.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.ClusterDomains;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the text, validation returns a result (never throws, never hangs) whose diagnostics
 * point into the document; and a valid result's derived values can always be computed.
 */
class RobustnessPropertiesTest {

  private static final List<String> KEY_NAMES =
      Stream.of(
              ManifestReader.TOP_LEVEL_KEYS,
              ProcReader.FIELDS,
              List.of(
                  "web",
                  "worker",
                  "oneshot",
                  "web.admin",
                  "worker.sync",
                  "oneshot.x",
                  "proc.x",
                  "portal.x",
                  "service.redis",
                  "portal",
                  "base",
                  "script",
                  "prepare",
                  "build_arg",
                  "version",
                  "keep",
                  "dest_base",
                  "copy",
                  "src",
                  "dest",
                  "services",
                  "slack",
                  "options",
                  "interval",
                  "timeout",
                  "retries",
                  "dirs",
                  "backup_full",
                  "backup_increment",
                  "schedule",
                  "expire",
                  "pre_run",
                  "post_run",
                  "9501:80/tcp",
                  "80",
                  "<<",
                  "? x",
                  "a b",
                  "\"q\"",
                  "web.",
                  "proc.Bad_Name"))
          .flatMap(List::stream)
          .toList();

  private static final List<String> SCALARS =
      List.of(
          "hello",
          "32m",
          "1g",
          "0",
          "-1",
          "9",
          "80",
          "\"80:tcp\"",
          "\"53:udp\"",
          "70000",
          "true",
          "false",
          "yes",
          "~",
          "null",
          "\"\"",
          "/lain/app",
          "..",
          ".",
          "/",
          "data",
          "../x",
          "a.com/x",
          "/admin",
          "*.example.com",
          "\"a;b\"",
          "constraint:group==default",
          "\"cc.bdp.lain.x:y\"",
          "A=1",
          "\"0 3 * * *\"",
          "10d",
          "none",
          "web",
          "portal",
          "1.5",
          "0x1F",
          "0o17",
          "'single'",
          "&anchor x",
          "*anchor",
          "!!str 3",
          "[]",
          "{}",
          "[a, b]",
          "{a: 1}",
          "|\n  block",
          "\"\\u0000\"",
          "\"x\\ny\"");

  // ---- arbitrary strings ----

  @Property(tries = 500)
  void anyStringGivesAResultWithWellPlacedDiagnostics(@ForAll String text) {
    checkInvariants(text);
  }

  @Property(tries = 1000)
  void yamlPunctuationSoupGivesAResult(@ForAll("yamlSoup") String text) {
    checkInvariants(text);
  }

  @Provide
  Arbitrary<String> yamlSoup() {
    return Arbitraries.strings()
        .withChars(":-[]{}&*!|>'\"%@`#,? \n\t\r.=/~<\\")
        .withChars("abcwebprocmemory0123456789")
        .ofMaxLength(300);
  }

  // ---- YAML-ish documents built from lain.yaml key names ----

  @Property(tries = 1000)
  void randomDocumentsOfLainKeysGiveAResult(@ForAll("documents") String text) {
    checkInvariants(text);
  }

  sealed interface Tree {}

  record Scalar(String text) implements Tree {}

  record Seq(List<Tree> items) implements Tree {}

  record Map(List<Tuple.Tuple2<String, Tree>> entries) implements Tree {}

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<Tree> tree =
        Arbitraries.recursive(
            () -> Arbitraries.of(SCALARS).map(s -> (Tree) new Scalar(s)),
            inner ->
                Arbitraries.oneOf(
                    inner.list().ofMaxSize(4).map(items -> (Tree) new Seq(items)),
                    Combinators.combine(Arbitraries.of(KEY_NAMES), inner)
                        .as(Tuple::of)
                        .list()
                        .ofMaxSize(5)
                        .map(entries -> (Tree) new Map(entries))),
            0,
            5);
    Arbitrary<Tuple.Tuple2<String, Tree>> topEntry =
        Combinators.combine(Arbitraries.of(KEY_NAMES), tree).as(Tuple::of);
    return topEntry.list().ofMaxSize(10).map(entries -> render(new Map(entries), 0));
  }

  private static String render(Tree tree, int indent) {
    String pad = " ".repeat(indent);
    return switch (tree) {
      case Scalar s -> s.text();
      case Seq s when s.items().isEmpty() -> "[]";
      case Map m when m.entries().isEmpty() -> "{}";
      case Seq s ->
          s.items().stream()
              .map(item -> pad + "-" + nested(item, indent + 2))
              .collect(Collectors.joining("\n"));
      case Map m ->
          m.entries().stream()
              .map(e -> pad + e.get1() + ":" + nested(e.get2(), indent + 2))
              .collect(Collectors.joining("\n"));
    };
  }

  private static String nested(Tree tree, int indent) {
    boolean inline =
        tree instanceof Scalar
            || (tree instanceof Seq s && s.items().isEmpty())
            || (tree instanceof Map m && m.entries().isEmpty());
    return inline ? " " + render(tree, indent) : "\n" + render(tree, indent);
  }

  // ---- mutations of valid manifests ----

  @Property(tries = 1000)
  void mutatedValidManifestsGiveAResult(
      @ForAll("validManifests") String manifest, @ForAll("mutations") List<Mutation> mutations) {
    String text = manifest;
    for (Mutation mutation : mutations) {
      text = mutation.apply(text);
    }
    checkInvariants(text);
  }

  @Provide
  Arbitrary<String> validManifests() {
    return Arbitraries.of(
        Manifests.HELLO_WORLD,
        Manifests.REGISTRY,
        Manifests.CONSOLE,
        """
        appname: hello
        build:
          base: golang
          script: [go build]
        web.admin:
          mountpoint: [admin.example.com/x]
          healthcheck: /health?deep=1
        service.redis:
          port: 6379
          portal:
            allow_clients: "**"
        proc.gateway:
          type: portal
          service_name: gateway
        worker:
          ports: {9501:80/tcp: {}}
          cloud_volumes: {type: single, dirs: [shared]}
          labels: ["team:a"]
          container_healthcheck: {cmd: none, options: {interval: 1}}
        """);
  }

  /** One edit of the text, at positions chosen by fractions so it applies to any text. */
  record Mutation(Kind kind, double where, String insert) {
    enum Kind {
      DELETE_LINE,
      DUPLICATE_LINE,
      INDENT_LINE,
      DEDENT_LINE,
      REPLACE_SCALAR,
      INSERT_TEXT
    }

    String apply(String text) {
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      int line = Math.min(lines.size() - 1, (int) (where * lines.size()));
      String current = lines.get(line);
      switch (kind) {
        case DELETE_LINE -> lines.remove(line);
        case DUPLICATE_LINE -> lines.add(line, current);
        case INDENT_LINE -> lines.set(line, "  " + current);
        case DEDENT_LINE -> lines.set(line, current.replaceFirst("^ {1,2}", ""));
        case REPLACE_SCALAR -> {
          int colon = current.indexOf(": ");
          lines.set(line, colon < 0 ? current + insert : current.substring(0, colon + 2) + insert);
        }
        case INSERT_TEXT -> {
          int at = Math.min(text.length(), (int) (where * text.length()));
          return text.substring(0, at) + insert + text.substring(at);
        }
      }
      return String.join("\n", lines);
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<String> inserts =
        Arbitraries.oneOf(
            Arbitraries.of(SCALARS),
            Arbitraries.of(
                ";", "{", "}", "\"", "'", "\n", "\t", "*", "_", "&a", "*a", "- ", ": ", "#",
                "\u0000", "\u2028", "\uFEFF", "é", "web:", "  - x", "---\n", "? "),
            Arbitraries.strings().ofMaxLength(5));
    Arbitrary<Mutation> mutation =
        Combinators.combine(
                Arbitraries.of(Mutation.Kind.class), Arbitraries.doubles().between(0, 1), inserts)
            .as(Mutation::new);
    return mutation.list().ofMinSize(1).ofMaxSize(5);
  }

  // ---- the invariants ----

  private static void checkInvariants(String text) {
    ValidationResult result = LainYaml.validate(text);

    assertThat(result).isNotNull();
    Statistics.label("result").collect(result.getClass().getSimpleName());
    int lines = lineCountUpperBound(text);
    for (Diagnostic d : result.diagnostics()) {
      assertThat(d.line()).as(d.format("lain.yaml")).isBetween(1, lines);
      assertThat(d.column()).as(d.format("lain.yaml")).isGreaterThanOrEqualTo(1);
      assertThat(d.message()).isNotBlank();
    }
    switch (result) {
      case ValidationResult.Invalid invalid -> assertThat(invalid.violations()).isNotEmpty();
      case ValidationResult.Malformed malformed -> assertThat(malformed.error()).isNotNull();
      case ValidationResult.Valid valid -> {
        AppSpec app = valid.spec();
        for (ProcSpec proc : app.procs()) {
          assertThat(app.podGroupName(proc)).startsWith(app.appname() + ".");
          app.mountpoints(proc, ClusterDomains.DEFAULT);
          app.mountpoints(proc, new ClusterDomains("lain.local", List.of("example.com")));
        }
      }
    }
    assertThat(LainYaml.validate(text)).as("deterministic").isEqualTo(result);
  }

  /** YAML also breaks lines at CR, NEL, LS and PS. */
  private static int lineCountUpperBound(String text) {
    int breaks = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        breaks++;
      }
    }
    return breaks + 1;
  }
}
