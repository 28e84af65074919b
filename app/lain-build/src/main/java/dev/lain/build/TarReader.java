package dev.lain.build;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a tar stream as Docker and Go's archive/tar write them: ustar (with the name prefix field),
 * pax extended headers for long names, link targets and sizes, GNU long names. Global pax headers
 * and unknown entry types pass through as entries; the caller picks what it needs.
 */
final class TarReader implements Closeable {
  private static final int BLOCK = 512;

  private final InputStream in;
  private long remaining;
  private long padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, skipping what is left of the current one's content; empty at the end. */
  Optional<TarEntry> next() throws IOException {
    skipRest();
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      byte[] header = new byte[BLOCK];
      if (!readBlock(header)) {
        return Optional.empty();
      }
      if (isZero(header)) {
        return Optional.empty();
      }
      if (!checksumMatches(header)) {
        throw new IOException("not a tar archive (bad header checksum)");
      }
      char type = (char) header[156];
      long size = number(header, 124, 12);
      switch (type) {
        case 'x' -> pax.putAll(parsePax(readData(size)));
        case 'g' -> readData(size);
        case 'L' -> longName = cString(readData(size));
        case 'K' -> longLink = cString(readData(size));
        default -> {
          String name = text(header, 0, 100);
          if (header[257] == 'u' && header[258] == 's' && header[259] == 't') {
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
              name = prefix + "/" + name;
            }
          }
          if (longName != null) {
            name = longName;
          }
          name = pax.getOrDefault("path", name);
          String link =
              pax.getOrDefault("linkpath", longLink != null ? longLink : text(header, 157, 100));
          if (pax.containsKey("size")) {
            size = Long.parseLong(pax.get("size").strip());
          }
          while (name.endsWith("/") && name.length() > 1) {
            name = name.substring(0, name.length() - 1);
          }
          TarEntry entry =
              new TarEntry(
                  name,
                  type,
                  (int) number(header, 100, 8),
                  size,
                  link,
                  number(header, 136, 12),
                  (int) number(header, 108, 8),
                  (int) number(header, 116, 8));
          boolean hasContent = entry.isFile() || (type != '1' && type != '2' && type != '5');
          remaining = hasContent ? size : 0;
          padding = hasContent ? (BLOCK - size % BLOCK) % BLOCK : 0;
          return Optional.of(entry);
        }
      }
    }
  }

  /** The current entry's content; valid until the next call to {@link #next()}. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int b = in.read();
        if (b < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        remaining--;
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        remaining -= n;
        return n;
      }
    };
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void skipRest() throws IOException {
    in.skipNBytes(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private byte[] readData(long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar extended header too large: " + size + " bytes");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new EOFException("tar archive ends inside an extended header");
    }
    in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  /** False at the end of the stream (some writers omit the closing blocks). */
  private boolean readBlock(byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("tar archive ends inside a header");
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean checksumMatches(byte[] header) {
    long stored = number(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    return sum == stored;
  }

  static Map<String, String> parsePax(byte[] data) throws IOException {
    Map<String, String> values = new HashMap<>();
    int at = 0;
    while (at < data.length) {
      int space = at;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("bad pax record length", e);
      }
      if (length <= 0 || at + length > data.length || data[at + length - 1] != '\n') {
        throw new IOException("bad pax record");
      }
      String record = new String(data, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        values.put(record.substring(0, eq), record.substring(eq + 1));
      }
      at += length;
    }
    return values;
  }

  /** An octal field, or GNU base-256 when the high bit of the first byte is set. */
  private static long number(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = header[i];
      if (b == 0) {
        break;
      }
      if (b >= '0' && b <= '7') {
        value = value * 8 + (b - '0');
      }
    }
    return value;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }
}
