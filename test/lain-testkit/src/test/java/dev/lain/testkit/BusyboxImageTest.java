package dev.lain.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BusyboxImageTest {

  @Test
  void staticBusyboxIsRecognisedAsStaticAndADynamicBinaryIsNot() throws IOException {
    Path busybox = RequiredServices.require("busybox", "apt-get install busybox-static");

    assertThat(BusyboxImage.isStaticElf(Files.readAllBytes(busybox.toRealPath()))).isTrue();
    assertThat(BusyboxImage.isStaticElf(Files.readAllBytes(Path.of("/bin/ls").toRealPath())))
        .isFalse();
    assertThat(BusyboxImage.isStaticElf("#!/bin/sh\n".repeat(10).getBytes())).isFalse();
  }

  @Test
  void rootFileSystemIsAValidTarWithShellHttpdAndThePage(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path tar = dir.resolve("rootfs.tar");
    Files.write(tar, BusyboxImage.rootFileSystem());

    String listing = DockerDaemon.run("tar", "-tvf", tar.toString());

    assertThat(listing)
        .contains("bin/busybox")
        .contains("bin/sh -> busybox")
        .contains("bin/httpd -> busybox")
        .contains("www/index.html")
        .contains("drwxrwxrwt root/root")
        .contains("etc/passwd");
    DockerDaemon.run("tar", "-xf", tar.toString(), "-C", dir.toString());
    assertThat(dir.resolve("www/index.html")).hasContent(BusyboxImage.INDEX_HTML.strip());
  }
}
