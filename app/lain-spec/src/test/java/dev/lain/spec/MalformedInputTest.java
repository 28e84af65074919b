package dev.lain.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text that is not one readable YAML mapping gives Malformed with a position, never an exception.
 */
class MalformedInputTest {

  private static Arguments malformed(
      String behaviour, String text, int line, int column, String words) {
    return Arguments.of(behaviour, text, line, column, words);
  }

  static Stream<Arguments> texts() {
    return Stream.of(
        malformed("emptyTextIsMalformed", "", 1, 1, "empty"),
        malformed("commentOnlyTextIsMalformed", "# nothing here\n", 1, 1, "empty"),
        malformed("explicitNullDocumentIsMalformed", "~\n", 1, 1, "empty"),
        malformed("listDocumentIsMalformed", "- a\n- b\n", 1, 1, "a list"),
        malformed("scalarDocumentIsMalformed", "just some text\n", 1, 1, "the string"),
        malformed(
            "twoDocumentsAreMalformed",
            "appname: a\n---\nappname: b\n",
            2,
            1,
            "more than one YAML document"),
        malformed(
            "unclosedFlowListReportsWhereItBroke",
            "appname: [a\nbuild: x\n",
            2,
            6,
            "not valid YAML"),
        malformed(
            "mappingValueInAPlainScalarIsASyntaxError",
            "appname: a: b\n",
            1,
            11,
            "mapping values are not allowed"),
        malformed("tabIndentationIsASyntaxError", "build:\n\tbase: x\n", 2, 1, "not valid YAML"),
        malformed(
            "mergeKeyOfAScalarIsMalformed",
            "appname: a\nworker:\n  <<: 5\n",
            // snakeyaml-engine's composer marks the end of the mapping that holds the merge.
            4,
            1,
            "mapping"),
        malformed("undefinedAliasIsMalformed", "appname: *nowhere\n", 1, 10, "nowhere"),
        malformed("recursiveAliasIsMalformed", "appname: &a [*a]\n", 1, 10, "recursive alias"),
        malformed(
            "deepNestingIsMalformed",
            "appname: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n",
            1,
            73,
            "deeper than 64"),
        malformed(
            "deepNestingThroughAliasesIsMalformed", deepThroughAliases(), 1, 16, "deeper than 64"),
        malformed("aliasBombIsMalformed", aliasBomb(30), 1, 1, "aliases"),
        malformed(
            "aliasBombWithinTheAliasLimitIsStoppedByTheNodeBudget",
            aliasBomb(25),
            1,
            13,
            "more than 100000 nodes"),
        malformed(
            "enormousScalarIsMalformed",
            "appname: " + "a".repeat(YamlLoader.MAX_CHARACTERS) + "\n",
            1,
            1,
            "larger than"),
        malformed(
            "invalidUnicodeEscapeIsASyntaxError",
            "appname: \"\\uZZZZ\"\n",
            1,
            13,
            "not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  @Timeout(10)
  void isMalformedWithAPosition(String behaviour, String text, int line, int column, String words) {
    ValidationResult result = LainYaml.validate(text);

    assertThat(result).as(behaviour).isInstanceOf(ValidationResult.Malformed.class);
    Diagnostic error = ((ValidationResult.Malformed) result).error();
    assertThat(error.message()).contains(words);
    assertThat(error.line() + ":" + error.column())
        .as(error.format("lain.yaml"))
        .isEqualTo(line + ":" + column);
  }

  /** Levels of lists repeated through aliases: small text, 2^levels nodes if expanded. */
  private static String aliasBomb(int levels) {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x]\n");
    for (int i = 1; i <= levels; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1);
      yaml.append(", *a").append(i - 1).append("]\n");
    }
    return yaml.toString();
  }

  /** Each anchor nests the previous one one level deeper: shallow text, deep tree. */
  private static String deepThroughAliases() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [[[[[[[[[[x]]]]]]]]]]\n");
    for (int i = 1; i <= 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [[[[[[[[*a").append(i - 1);
      yaml.append("]]]]]]]]\n");
    }
    return yaml.toString();
  }

  @Test
  void nonStringKeysAreViolationsNotExceptions() {
    ValidationResult result = LainYaml.validate("1: x\n? [a]\n: b\n? {c: d}\n: e\n");

    assertThat(result).isInstanceOf(ValidationResult.Invalid.class);
    assertThat(result.diagnostics())
        .extracting(d -> d.line() + ":" + d.column() + " " + d.message())
        .anySatisfy(m -> assertThat(m).startsWith("1:1 unknown key \"1\""))
        .anySatisfy(m -> assertThat(m).startsWith("2:3 keys must be plain strings"))
        .anySatisfy(m -> assertThat(m).startsWith("4:3 keys must be plain strings"));
  }

  @Test
  void nullCharactersAndControlCharactersNeverEscapeAsExceptions() {
    for (String text :
        new String[] {
          "appname: \u0000\n", "\uFEFFappname: x\n", "appname: \"\u0007\"\n", "\u0085"
        }) {
      assertThatCode(() -> LainYaml.validate(text)).as(text).doesNotThrowAnyException();
    }
  }

  @Test
  @Timeout(10)
  void manyAliasesOfScalarsStayCheap() {
    StringBuilder yaml = new StringBuilder("appname: &n hello\nbuild:\n  base: x\n  script:\n");
    yaml.append("    - *n\n".repeat(5_000));
    long start = System.nanoTime();

    ValidationResult result = LainYaml.validate(yaml.toString());

    assertThat(result).isInstanceOf(ValidationResult.Valid.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
