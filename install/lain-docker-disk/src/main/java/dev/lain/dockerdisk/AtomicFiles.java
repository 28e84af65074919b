package dev.lain.dockerdisk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/** Whole-file replacement that a crash or a concurrent reader never sees half done. */
final class AtomicFiles {
  private static final Set<PosixFilePermission> DEFAULT_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  static Optional<String> read(Path file) {
    try {
      return Files.exists(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      throw new StorageException(StorageException.Code.IO, "cannot read " + file + ": " + e, e);
    }
  }

  /**
   * Writes {@code content} to a temporary file beside {@code file}, syncs it and renames it over
   * {@code file}, keeping the old file's permissions (0644 for a new one).
   */
  static void write(Path file, String content) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      Set<PosixFilePermission> mode =
          Files.exists(file) ? Files.getPosixFilePermissions(file) : DEFAULT_MODE;
      temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, mode);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw new StorageException(StorageException.Code.IO, "cannot write " + file + ": " + e, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The write failed already; a leftover dot file is the lesser problem.
        }
      }
    }
  }
}
