package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.spec.PrepareSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreparePlanTest {
  private static final String BASE = "lain-test/busybox:1";
  private static final String BASE_ID = "sha256:" + "abcdef012345".repeat(5) + "6789";
  private static final PrepareSpec V3 = new PrepareSpec("3", List.of("make deps"), List.of("deps"));
  private static final PrepareSpec AUTO =
      new PrepareSpec("", List.of("make deps"), List.of("deps"));

  @ParameterizedTest(name = "tags [{0}] -> reuse {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "'';                                                    ''",
        "prepare-3-100;                                         prepare-3-100",
        "prepare-3-100 prepare-3-300 prepare-3-200;             prepare-3-300",
        "prepare-2-900 prepare-30-900 prepare-3x-900;           ''",
        "prepare-3-100 build-1-x prepare-3-;                    prepare-3-100",
        "prepare-3-99999999999999999999;                        ''",
        "prepare-900-abcdef012345-0000000000000000 prepare-3-1; prepare-3-1",
      })
  void versionedPrepareReusesTheNewestImageOfTheSameVersion(String tags, String reuse) {
    PreparePlan plan = PreparePlan.of("app", BASE, BASE_ID, V3, split(tags), 1_700_000_000L);

    assertThat(plan.reuse().orElse("")).isEqualTo(reuse);
    assertThat(plan.newTag()).isEqualTo("prepare-3-1700000000");
    assertThat(plan.image().reference()).isEqualTo("app:" + plan.reuse().orElse(plan.newTag()));
  }

  @Test
  void bumpingTheVersionIgnoresImagesOfTheOldVersion() {
    PrepareSpec v4 = new PrepareSpec("4", V3.script(), V3.keep());

    PreparePlan plan = PreparePlan.of("app", BASE, BASE_ID, v4, List.of("prepare-3-100"), 500);

    assertThat(plan.reuse()).isEmpty();
    assertThat(plan.newImage().reference()).isEqualTo("app:prepare-4-500");
  }

  @Test
  void autoTagNamesTheBaseImageAndAKeyOfBaseScriptAndKeep() {
    PreparePlan plan = PreparePlan.of("app", BASE, BASE_ID, AUTO, List.of(), 1_700_000_000L);

    assertThat(plan.newTag()).matches("prepare-1700000000-abcdef012345-[0-9a-f]{16}");
    assertThat(plan.reuse()).isEmpty();
  }

  @Test
  void autoTagIsReusedUntilBaseImageScriptOrKeepChange() {
    String existing = PreparePlan.of("app", BASE, BASE_ID, AUTO, List.of(), 100).newTag();
    List<String> tags = List.of(existing);

    assertThat(PreparePlan.of("app", BASE, BASE_ID, AUTO, tags, 200).reuse()).hasValue(existing);
    String otherId = "sha256:" + "fedcba987654".repeat(5) + "3210";
    assertThat(PreparePlan.of("app", BASE, otherId, AUTO, tags, 200).reuse()).isEmpty();
    assertThat(PreparePlan.of("app", "other:1", BASE_ID, AUTO, tags, 200).reuse()).isEmpty();
    PrepareSpec newScript = new PrepareSpec("", List.of("make deps", "make more"), List.of("deps"));
    assertThat(PreparePlan.of("app", BASE, BASE_ID, newScript, tags, 200).reuse()).isEmpty();
    PrepareSpec newKeep = new PrepareSpec("", List.of("make deps"), List.of("deps", "cache"));
    assertThat(PreparePlan.of("app", BASE, BASE_ID, newKeep, tags, 200).reuse()).isEmpty();
  }

  @Test
  void aVersionedImageIsNeverTakenForAnAutoOneOrTheOtherWayRound() {
    String auto = PreparePlan.of("app", BASE, BASE_ID, AUTO, List.of(), 100).newTag();

    assertThat(PreparePlan.of("app", BASE, BASE_ID, V3, List.of(auto), 200).reuse()).isEmpty();
    assertThat(PreparePlan.of("app", BASE, BASE_ID, AUTO, List.of("prepare-3-100"), 200).reuse())
        .isEmpty();
  }

  @Test
  void shortIdIsTheFirstTwelveHexDigitsOfTheImageId() {
    assertThat(PreparePlan.shortId(BASE_ID)).isEqualTo("abcdef012345");
    assertThat(PreparePlan.shortId("abcdef0123456789")).isEqualTo("abcdef012345");
    assertThatThrownBy(() -> PreparePlan.shortId("lain-test/busybox:1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> split(String tags) {
    return tags.isBlank() ? List.of() : List.of(tags.strip().split("\\s+"));
  }
}
