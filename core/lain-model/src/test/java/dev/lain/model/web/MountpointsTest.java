package dev.lain.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.model.AppNames;
import dev.lain.model.deploy.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mountpoint grammar, the health-check path rule and app names, with their records' checks. */
class MountpointsTest {
  @Test
  void hostMountpointIsLowerCasedAndLosesItsTrailingSlash() {
    assertThat(Mountpoints.parse("Blog.Example.com/News/"))
        .isEqualTo(new DeclaredMountpoint.Absolute(new Mountpoint("blog.example.com", "/News")));
    assertThat(Mountpoints.parse("example.com"))
        .isEqualTo(new DeclaredMountpoint.Absolute(new Mountpoint("example.com", "")));
    assertThat(Mountpoints.parse("/")).isEqualTo(new DeclaredMountpoint.Relative(""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a.com/a//b",
        "a.com/./b",
        "a.com/%20",
        "a.com/{x}",
        "a.com/x;",
        "a.com/\"x\"",
        "exa mple.com",
        "a.com:8080",
        "a_b.com",
        "a.com\n/x",
        "-a.com",
        "a..com",
        "https://a.com",
        "/x//"
      })
  void unsafeMountpointsAreRefused(String raw) {
    assertThat(Mountpoints.problem(raw)).isPresent();
    assertThatThrownBy(() -> Mountpoints.parse(raw)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badMountpointCharacterIsNamed() {
    assertThat(Mountpoints.problem("a.com/x{y"))
        .contains("has a path that contains '{' (allowed: letters, digits and . _ ~ -)");
  }

  @Test
  void healthcheckPathAllowsASimpleQuery() {
    assertThat(Mountpoints.healthcheckProblem("/")).isEmpty();
    assertThat(Mountpoints.healthcheckProblem("/health/")).isEmpty();
    assertThat(Mountpoints.healthcheckProblem("/health?deep=1&fast=yes")).isEmpty();
    assertThat(Mountpoints.healthcheckProblem("/h?")).isPresent();
    assertThat(Mountpoints.healthcheckProblem("/h#top")).isPresent();
    assertThat(Mountpoints.healthcheckProblem("/h?x=a b")).isPresent();
    assertThat(Mountpoints.healthcheckProblem("/h;\n")).isPresent();
  }

  @Test
  void resourceInstanceNamesAreAcceptedAsAppnames() {
    assertThat(AppNames.appnameProblem("resource.redis.myapp")).isEmpty();
    assertThat(AppNames.appnameProblem("resource.redis")).isPresent();
    assertThat(AppNames.appnameProblem("resource.re_dis.myapp")).isPresent();
    assertThat(AppNames.appnameProblem("portal")).isPresent();
  }

  @Test
  void recordsRefuseImpossibleValues() {
    assertThatThrownBy(() -> new Mountpoint("Bad Host", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Mountpoint("a.com", "/x/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeclaredMountpoint.Relative("x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MemorySize("1m", 1L << 20))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
