package dev.lain.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs from nowhere: a finite text without follow; with follow, a line every 20 ms until the
 * console closes the stream, which the test can see.
 */
final class FakeLogs implements LogSource {
  record Opened(ContainerRef container, boolean follow, int tail, AtomicBoolean closed) {}

  final List<Opened> opened = new CopyOnWriteArrayList<>();

  @Override
  public InputStream open(ContainerRef container, boolean follow, int tail) {
    AtomicBoolean closed = new AtomicBoolean();
    opened.add(new Opened(container, follow, tail, closed));
    if (!follow) {
      byte[] text =
          ("line 1 of " + container.container() + "\nline 2\n").getBytes(StandardCharsets.UTF_8);
      return new java.io.ByteArrayInputStream(text) {
        @Override
        public void close() throws IOException {
          closed.set(true);
          super.close();
        }
      };
    }
    return new InputStream() {
      private byte[] pending = new byte[0];
      private int at;
      private int line;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (closed.get()) {
          return -1;
        }
        if (at == pending.length) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
          }
          pending = ("follow line " + ++line + "\n").getBytes(StandardCharsets.UTF_8);
          at = 0;
        }
        int n = Math.min(len, pending.length - at);
        System.arraycopy(pending, at, b, off, n);
        at += n;
        return n;
      }

      @Override
      public void close() {
        closed.set(true);
      }
    };
  }
}
