package dev.lain.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
      String device =
          ChildProcesses.runOrFail(List.of("losetup", "-f", "--show", image.toString())).strip();
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
    ChildProcesses.runOrFail(List.of("losetup", "-d", device));
    try {
      Files.deleteIfExists(image);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
