package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.web.Mountpoints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "172.20.0.5",
        "255.255.255.255",
        "::",
        "::1",
        "fd00::12",
        "2001:db8::1:0",
        "1:2:3:4:5:6:7:8",
        "::ffff:172.20.0.1",
        "1::",
        "FD00::A"
      })
  void acceptsIpLiterals(String ip) {
    assertThat(Inputs.ipProblem(ip)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.4 ",
        "a.b.c.d",
        ":::",
        "1:::2",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "fe80::1%eth0",
        "[::1]",
        "12345::",
        "g::1",
        "1.2.3.4::",
        "::1.2.3",
        "localhost",
        "1.2.3.4;",
        "\u0661.2.3.4"
      })
  void rejectsEverythingElse(String ip) {
    assertThat(Inputs.ipProblem(ip)).isPresent();
  }

  // The renderer writes mount paths as lain-model's mountpoint rule accepts them: that rule must
  // leave nothing that could end an nginx token.
  @ParameterizedTest
  @ValueSource(strings = {"", "/a", "/admin", "/api/v1", "/A.b~c_d-e", "/..."})
  void acceptsMountPaths(String path) {
    assertThat(Mountpoints.pathProblem(path)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/", "a", "/a/", "//a", "/a//b", "/./a", "/a/..", "/a b", "/a;b", "/a{", "/a}", "/$x",
        "/a\"b", "/a'b", "/a#b", "/a\\b", "/a\nb", "/\u00e9", "/a?b", "/a%20b", "/a*"
      })
  void rejectsPathsThatAreNotPlainSegments(String path) {
    assertThat(Mountpoints.pathProblem(path)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello.web.web", "resource.redis.x.web.web", "a_b.web.w-1", "a"})
  void acceptsPodGroupNames(String name) {
    assertThat(Inputs.podGroupProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Hello.web.web", ".web.web", "web.", "a b", "a;b", "a\"b", "a{b"})
  void rejectsOtherPodGroupNames(String name) {
    assertThat(Inputs.podGroupProblem(name)).isPresent();
  }

  @org.junit.jupiter.api.Test
  void quotingMakesOnePrintableLine() {
    assertThat(Inputs.quote("a'b\\c\nd\u2028")).isEqualTo("'a\\'b\\\\c\\u000Ad\\u2028'");
    assertThat(Inputs.quote("x".repeat(100))).isEqualTo("'" + "x".repeat(80) + "...'");
  }
}
