package dev.lain.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A tiny image built locally, with no registry: {@code FROM scratch} plus the host's statically
 * linked {@code /bin/busybox} (Debian's busybox-static) and a symlink for each applet in {@code
 * /bin} ({@code sh}, {@code sleep}, {@code httpd}, {@code wget}, {@code nc}, ...). It has {@code
 * /etc/passwd} with {@code root} and {@code nobody}, a world-writable {@code /tmp}, and {@code
 * /www/index.html} so that {@code httpd -f -p 8080 -h /www} serves a page.
 *
 * <pre>{@code
 * String image = BusyboxImage.in(DockerDaemon.shared());
 * }</pre>
 */
public final class BusyboxImage {
  /** The tag {@link #in} builds. */
  public static final String TAG = "lain-test/busybox:1";

  /** What {@code /www/index.html} says. */
  public static final String INDEX_HTML = "hello from lain-test/busybox\n";

  private static final String INSTALL_HINT = "apt-get install busybox-static";
  private static final int PT_INTERP = 3;

  private BusyboxImage() {}

  /** Makes sure {@code daemon} has {@link #TAG}, building it on first use; returns the tag. */
  public static synchronized String in(DockerDaemon daemon) {
    DockerClient client = daemon.client();
    try {
      client.inspectImageCmd(TAG).exec();
    } catch (NotFoundException e) {
      build(client, TAG);
    }
    return TAG;
  }

  /** Builds the image as {@code tag} through {@code client}; returns its id. */
  public static String build(DockerClient client, String tag) {
    try (InputStream context = new ByteArrayInputStream(buildContext())) {
      return client
          .buildImageCmd(context)
          .withTags(Set.of(tag))
          .withPull(false)
          .exec(new BuildImageResultCallback())
          .awaitImageId(120, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build " + tag, e);
    }
  }

  /** A build context: a Dockerfile and the {@link #rootFileSystem()} under {@code rootfs/}. */
  public static byte[] buildContext() {
    TarArchive tar = new TarArchive();
    tar.file(
        "Dockerfile",
        0644,
        """
        FROM scratch
        COPY rootfs/ /
        ENV PATH=/bin
        LABEL dev.lain.test=busybox
        CMD ["sh"]
        """);
    addRootFileSystem(tar, "rootfs/");
    return tar.toBytes();
  }

  /** The image's files as one tar, e.g. for a layer served by a test registry. */
  public static byte[] rootFileSystem() {
    TarArchive tar = new TarArchive();
    addRootFileSystem(tar, "");
    return tar.toBytes();
  }

  private static void addRootFileSystem(TarArchive tar, String prefix) {
    Path busybox = RequiredServices.require("busybox", INSTALL_HINT);
    byte[] binary;
    try {
      binary = Files.readAllBytes(busybox.toRealPath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + busybox, e);
    }
    if (!isStaticElf(binary)) {
      RequiredServices.unmet(
          busybox + " is dynamically linked; an image FROM scratch needs " + INSTALL_HINT);
    }
    if (!prefix.isEmpty()) {
      tar.directory(prefix.substring(0, prefix.length() - 1), 0755);
    }
    for (String directory : List.of("bin", "etc", "root", "www")) {
      tar.directory(prefix + directory, directory.equals("root") ? 0700 : 0755);
    }
    tar.directory(prefix + "tmp", 01777);
    tar.file(prefix + "bin/busybox", 0755, binary);
    for (String applet : applets(busybox)) {
      if (!applet.equals("busybox")) {
        tar.symlink(prefix + "bin/" + applet, "busybox");
      }
    }
    tar.file(
        prefix + "etc/passwd",
        0644,
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    tar.file(prefix + "etc/group", 0644, "root:x:0:\nnobody:x:65534:\n");
    tar.file(prefix + "www/index.html", 0644, INDEX_HTML);
  }

  private static List<String> applets(Path busybox) {
    return Arrays.stream(DockerDaemon.run(busybox.toString(), "--list").split("\n"))
        .map(String::strip)
        .filter(name -> !name.isEmpty() && !name.contains("/"))
        .sorted()
        .toList();
  }

  /** An ELF executable without an interpreter (no PT_INTERP program header) is static. */
  static boolean isStaticElf(byte[] binary) {
    if (binary.length < 64
        || binary[0] != 0x7f
        || binary[1] != 'E'
        || binary[2] != 'L'
        || binary[3] != 'F'
        || binary[4] != 2) {
      return false; // Not a 64-bit ELF file.
    }
    ByteBuffer elf =
        ByteBuffer.wrap(binary)
            .order(binary[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    long headers = elf.getLong(0x20);
    int size = Short.toUnsignedInt(elf.getShort(0x36));
    int count = Short.toUnsignedInt(elf.getShort(0x38));
    for (int i = 0; i < count; i++) {
      long at = headers + (long) i * size;
      if (at + 4 > binary.length) {
        return false;
      }
      if (elf.getInt((int) at) == PT_INTERP) {
        return false;
      }
    }
    return true;
  }
}
