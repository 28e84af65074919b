package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @Test
  void metaVersionReadsGitsCommitTimeDashShaAndSortsByTime() {
    String sha = "0123456789abcdef0123456789abcdef01234567";
    MetaVersion v = MetaVersion.parse("1496631978-" + sha);

    assertThat(v.timestamp()).isEqualTo(1496631978L);
    assertThat(v.sha()).isEqualTo(sha);
    assertThat(v.toString()).isEqualTo("1496631978-" + sha);
    List<MetaVersion> sorted = Stream.of(Apps.V2, v, Apps.V1).sorted().toList();
    assertThat(sorted).containsExactly(v, Apps.V1, Apps.V2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1496631978",
        "1496631978-abc",
        "1496631978-0123456789ABCDEF0123456789abcdef01234567",
        "x1496631978-0123456789abcdef0123456789abcdef01234567",
        "1496631978-0123456789abcdef0123456789abcdef01234567\n"
      })
  void metaVersionRejectsAnythingElse(String text) {
    assertThat(MetaVersion.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> MetaVersion.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a meta version");
  }

  @ParameterizedTest(name = "{0} -> {1} : {2}")
  @CsvSource({
    "hello:release-1,                   hello,                    release-1",
    "busybox,                           busybox,                  latest",
    "127.0.0.1:5000/hello:meta-1,       127.0.0.1:5000/hello,     meta-1",
    "registry.lain.local/a/b,           registry.lain.local/a/b,  latest",
    "localhost:5000/x,                  localhost:5000/x,         latest",
  })
  void imageRefSplitsRepositoryAndTag(String reference, String repository, String tag) {
    ImageRef ref = ImageRef.parse(reference);

    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(tag);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Hello:1", "hello:", "hello:-x", "a//b:1", "hello@sha256:00", ":1"})
  void imageRefRejectsWhatDockerRejects(String reference) {
    assertThatThrownBy(() -> ImageRef.parse(reference))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inRegistryWantsHostAndOptionalPort() {
    ImageRef meta = ImageRef.of("hello", Phase.META, Apps.V1);

    assertThat(meta.inRegistry("127.0.0.1:5000").reference())
        .isEqualTo("127.0.0.1:5000/hello:meta-" + Apps.V1);
    assertThatThrownBy(() -> meta.inRegistry("http://registry"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
