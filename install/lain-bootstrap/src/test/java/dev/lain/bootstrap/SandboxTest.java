package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real entry point (real probe, real programs) against a sandbox root and checks that a
 * refusal leaves that tree exactly as it was.
 */
class SandboxTest {
  @TempDir Path root;

  @BeforeEach
  void machine() throws IOException {
    Files.createDirectories(root.resolve("etc/docker"));
    Files.writeString(root.resolve("etc/hostname"), "node1\n");
    Files.writeString(root.resolve("etc/docker/daemon.json"), "{\"debug\": true}\n");
    Files.createDirectories(root.resolve("var/lib/lain"));
    Files.createDirectories(root.resolve("dev"));
    Files.writeString(root.resolve("dev/vdb"), "a file, not a disk");
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(List.of("--node-ip", "999.1.1.1"), BootstrapMain.USAGE),
        Arguments.of(List.of("--ipip", "--docker-device", "vdb"), BootstrapMain.USAGE),
        Arguments.of(
            List.of("--single-node", "--docker-device", "/dev/vdb"),
            BootstrapMain.PREFLIGHT_FAILED),
        Arguments.of(
            List.of("--single-node", "--node-ip", "10.254.254.254"),
            BootstrapMain.PREFLIGHT_FAILED),
        Arguments.of(
            List.of("--dry-run", "--single-node", "--docker-device", "/dev/vdz"),
            BootstrapMain.PREFLIGHT_FAILED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusalLeavesTheRootUnchanged(List<String> args, int exitCode) throws Exception {
    Map<String, String> before = snapshot(root);
    String[] withRoot =
        Stream.concat(args.stream(), Stream.of("--root", root.toString())).toArray(String[]::new);

    Runs run = Runs.run(o -> MachineProbe.of(o).probe(o), withRoot);

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exitCode);
    assertThat(snapshot(root)).isEqualTo(before);
  }

  /** Every path under {@code dir} with its type, size, modification time and content hash. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        String hash = a.isRegularFile() ? sha256(Files.readAllBytes(p)) : "";
        tree.put(
            dir.relativize(p).toString(),
            (a.isDirectory() ? "d " : "f ") + a.size() + " " + a.lastModifiedTime() + " " + hash);
      }
    }
    return tree;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
