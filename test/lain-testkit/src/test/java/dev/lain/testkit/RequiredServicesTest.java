package dev.lain.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class RequiredServicesTest {
  @TempDir Path bin;

  @Test
  void findsAnExecutableOnThePath() throws Exception {
    Path tool = Files.createFile(bin.resolve("tool"));
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(RequiredServices.require("tool", "hint", "/nonexistent:" + bin, true))
        .isEqualTo(tool.toAbsolutePath());
  }

  @Test
  void ignoresFilesThatAreNotExecutable() throws Exception {
    Files.createFile(bin.resolve("tool"));

    assertThat(RequiredServices.find("tool", bin.toString())).isEmpty();
  }

  @Test
  void missingServiceFailsTheTestWhenServicesAreRequired() {
    assertThatThrownBy(() -> RequiredServices.require("etcd", "apt-get install x", bin + "", true))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "etcd is required here (LAIN_REQUIRE_SERVICES is set) but not installed: apt-get install x");
  }

  @Test
  void missingServiceSkipsTheTestOtherwise() {
    assertThatThrownBy(() -> RequiredServices.require("etcd", "apt-get install x", null, false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage("skipped: etcd not installed (apt-get install x)");
  }
}
