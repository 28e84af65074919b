package dev.lain.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a POSIX ustar archive in memory: directories, files and symlinks with fixed owners and
 * times, so the same entries always give the same bytes (Docker's build cache and layer digests
 * stay stable). Enough for build contexts and image layers; names are limited to 100 bytes.
 */
public final class TarArchive {
  private static final int BLOCK = 512;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean finished;

  /** Adds a directory ({@code path} without a trailing slash). */
  public TarArchive directory(String path, int mode) {
    entry(path + "/", mode, '5', "", new byte[0]);
    return this;
  }

  /** Adds a regular file. */
  public TarArchive file(String path, int mode, byte[] content) {
    entry(path, mode, '0', "", content);
    return this;
  }

  /** Adds a UTF-8 text file. */
  public TarArchive file(String path, int mode, String content) {
    return file(path, mode, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a symbolic link to {@code target}. */
  public TarArchive symlink(String path, String target) {
    entry(path, 0777, '2', target, new byte[0]);
    return this;
  }

  /** The archive, ended with the two empty blocks tar expects; nothing can be added after. */
  public byte[] toBytes() {
    if (!finished) {
      out.writeBytes(new byte[2 * BLOCK]);
      finished = true;
    }
    return out.toByteArray();
  }

  private void entry(String path, int mode, char type, String linkTarget, byte[] content) {
    Objects.requireNonNull(path, "path");
    if (finished) {
      throw new IllegalStateException("the archive is finished");
    }
    byte[] header = new byte[BLOCK];
    put(header, 0, 100, path);
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0); // uid
    octal(header, 116, 8, 0); // gid
    octal(header, 124, 12, content.length);
    octal(header, 136, 12, 0); // mtime: fixed, for reproducible archives
    Arrays.fill(header, 148, 156, (byte) ' '); // checksum is computed with this field as spaces
    header[156] = (byte) type;
    put(header, 157, 100, linkTarget);
    put(header, 257, 6, "ustar");
    put(header, 263, 2, "00");
    put(header, 265, 32, "root");
    put(header, 297, 32, "root");
    int checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    byte[] sum = String.format("%06o", checksum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(sum, 0, header, 148, sum.length);
    header[154] = 0;
    header[155] = ' ';
    out.writeBytes(header);
    out.writeBytes(content);
    int padding = (BLOCK - content.length % BLOCK) % BLOCK;
    out.writeBytes(new byte[padding]);
  }

  private static void put(byte[] header, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > length) {
      throw new IllegalArgumentException("too long for a tar header field: " + value);
    }
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException("too large for a tar header field: " + value);
    }
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    put(header, offset, length - 1, padded);
  }
}
