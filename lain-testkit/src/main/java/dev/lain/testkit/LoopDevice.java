package dev.lain.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loop device on a sparse file (it costs no disk until written), for tests that give a "disk" to
 * Docker. Needs root, {@code /dev/loop-control} and losetup; closing detaches it and deletes the
 * file.
 */
public final class LoopDevice implements AutoCloseable {
  private final Path image;
  private final String device;

  private LoopDevice(Path image, String device) {
    this.image = image;
    this.device = device;
  }

  /** Attaches a new sparse file {@code image} of {@code bytes} to a free loop device. */
  public static LoopDevice attach(Path image, long bytes) {
    RequiredServices.requireRoot("loop devices");
    RequiredServices.require("losetup", "apt-get install mount");
    if (!Files.isReadable(Path.of("/dev/loop-control"))) {
      RequiredServices.unmet(
          "no /dev/loop-control: this machine (container) offers no loop devices");
    }
    try {
      Files.createDirectories(image.getParent());
      Files.deleteIfExists(image);
      try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
        file.setLength(bytes);
      }
      String device = run(List.of("losetup", "-f", "--show", image.toString())).strip();
      return new LoopDevice(image, device);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The device path, e.g. {@code /dev/loop3}. */
  public String path() {
    return device;
  }

  @Override
  public void close() {
    run(List.of("losetup", "-d", device));
    try {
      Files.deleteIfExists(image);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
