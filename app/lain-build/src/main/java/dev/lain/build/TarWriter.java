package dev.lain.build;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a POSIX tar stream (ustar headers, pax records for names or link targets longer than ustar
 * holds), enough for Docker build contexts. Closing ends the archive and the stream.
 */
final class TarWriter implements Closeable {
  private static final int BLOCK = 512;
  private static final int NAME_LENGTH = 100;
  private static final long MAX_SIZE = 077777777777L;

  private final OutputStream out;
  private boolean finished;

  TarWriter(OutputStream out) {
    this.out = out;
  }

  void directory(String name, int mode, long mtime) throws IOException {
    write(
        new TarEntry(name, TarEntry.DIRECTORY, mode, 0, "", mtime, 0, 0),
        InputStream.nullInputStream());
  }

  void file(String name, int mode, byte[] content) throws IOException {
    write(
        new TarEntry(name, TarEntry.FILE, mode, content.length, "", 0, 0, 0),
        new ByteArrayInputStream(content));
  }

  void file(String name, int mode, String content) throws IOException {
    file(name, mode, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code entry} and, for files, exactly {@code entry.size()} bytes of {@code content}.
   *
   * @throws IOException if {@code content} ends early
   */
  void write(TarEntry entry, InputStream content) throws IOException {
    if (finished) {
      throw new IllegalStateException("the archive is finished");
    }
    if (entry.size() > MAX_SIZE) {
      throw new IOException("file too large for a tar entry: " + entry.name());
    }
    long size = entry.isFile() ? entry.size() : 0;
    String name = entry.isDirectory() ? entry.name() + "/" : entry.name();
    Map<String, String> pax = new LinkedHashMap<>();
    if (utf8Length(name) > NAME_LENGTH || !isAscii(name)) {
      pax.put("path", name);
    }
    if (utf8Length(entry.linkName()) > NAME_LENGTH || !isAscii(entry.linkName())) {
      pax.put("linkpath", entry.linkName());
    }
    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      out.write(
          header("PaxHeaders/" + tail(name), 0644, records.length, 'x', "", entry.mtime(), 0, 0));
      out.write(records);
      pad(records.length);
    }
    out.write(
        header(
            truncate(name),
            entry.mode(),
            size,
            entry.type(),
            truncate(entry.linkName()),
            entry.mtime(),
            entry.uid(),
            entry.gid()));
    long copied = content.transferTo(new BoundedOutput(out, size));
    if (copied != size) {
      throw new IOException(
          entry.name() + ": expected " + size + " bytes of content, got " + copied);
    }
    pad(size);
  }

  /** Ends the archive with the two empty blocks readers expect. */
  void finish() throws IOException {
    if (!finished) {
      out.write(new byte[2 * BLOCK]);
      finished = true;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      out.close();
    }
  }

  private void pad(long size) throws IOException {
    int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
    out.write(new byte[padding]);
  }

  private static byte[] header(
      String name, int mode, long size, char type, String linkName, long mtime, int uid, int gid) {
    byte[] header = new byte[BLOCK];
    put(header, 0, NAME_LENGTH, name);
    octal(header, 100, 8, mode & 07777);
    octal(header, 108, 8, Math.max(0, Math.min(uid, 07777777)));
    octal(header, 116, 8, Math.max(0, Math.min(gid, 07777777)));
    octal(header, 124, 12, size);
    octal(header, 136, 12, Math.max(0, Math.min(mtime, MAX_SIZE)));
    Arrays.fill(header, 148, 156, (byte) ' ');
    header[156] = (byte) type;
    put(header, 157, NAME_LENGTH, linkName);
    put(header, 257, 6, "ustar");
    put(header, 263, 2, "00");
    int checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    put(header, 148, 7, String.format("%06o", checksum));
    header[154] = 0;
    header[155] = ' ';
    return header;
  }

  /** pax records: {@code "<length> <key>=<value>\n"}, the length counting its own digits. */
  static byte[] paxRecords(Map<String, String> values) {
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    values.forEach(
        (key, value) -> {
          int body = utf8Length(" " + key + "=" + value + "\n");
          int length = body + Integer.toString(body).length();
          if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length++;
          }
          records.writeBytes(
              (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
        });
    return records.toByteArray();
  }

  private static String truncate(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= NAME_LENGTH && isAscii(value)) {
      return value;
    }
    // The pax record holds the real value; keep an ASCII stand-in in the ustar field.
    String ascii = value.replaceAll("[^\\x20-\\x7e]", "_");
    return ascii.length() <= NAME_LENGTH ? ascii : ascii.substring(ascii.length() - NAME_LENGTH);
  }

  private static String tail(String name) {
    String ascii = name.replaceAll("[^\\x20-\\x7e]", "_");
    return ascii.length() <= 80 ? ascii : ascii.substring(ascii.length() - 80);
  }

  private static boolean isAscii(String value) {
    return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  private static int utf8Length(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void put(byte[] header, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    put(header, offset, length - 1, "0".repeat(Math.max(0, length - 1 - digits.length())) + digits);
  }

  /** Passes on at most {@code limit} bytes, so a growing file cannot corrupt the archive. */
  private static final class BoundedOutput extends OutputStream {
    private final OutputStream out;
    private long remaining;

    BoundedOutput(OutputStream out, long limit) {
      this.out = out;
      this.remaining = limit;
    }

    @Override
    public void write(int b) throws IOException {
      if (remaining > 0) {
        out.write(b);
        remaining--;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = (int) Math.min(len, remaining);
      if (n > 0) {
        out.write(b, off, n);
        remaining -= n;
      }
    }

    @Override
    public void close() {
      // The archive stream stays open.
    }
  }
}
