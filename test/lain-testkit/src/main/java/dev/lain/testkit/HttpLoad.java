package dev.lain.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator on loopback: {@code workers} threads each sending GET requests one after the
 * other. By default each request has a new connection, so no request is lost to a kept-alive
 * connection the server closed (which clients retry, and which would blur what is counted); with
 * {@code keepAlive} a connection serves requests for as long as the server keeps it open, as
 * browsers and load balancers do. Every request that does not get a 200 is a failure, recorded with
 * its reason.
 */
public final class HttpLoad {
  /** What was sent so far. */
  public record Totals(
      long requests, long ok, Map<String, Long> failures, List<String> firstFailures) {
    public long failed() {
      return requests - ok;
    }
  }

  private static final int KEEP_FIRST = 20;

  private final int port;
  private final String host;
  private final String path;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
  private final List<String> firstFailures = new ArrayList<>();
  private final long started = System.nanoTime();
  private volatile boolean stopped;

  private HttpLoad(int port, String host, String path) {
    this.port = port;
    this.host = host;
    this.path = path;
  }

  /** Starts sending {@code GET path} with {@code Host: host} to 127.0.0.1:port. */
  public static HttpLoad start(int port, String host, String path, int workers) {
    return start(port, host, path, workers, false);
  }

  /** The same, keeping connections open while the server does when {@code keepAlive}. */
  public static HttpLoad start(int port, String host, String path, int workers, boolean keepAlive) {
    HttpLoad load = new HttpLoad(port, host, path);
    for (int i = 0; i < workers; i++) {
      Runnable work =
          keepAlive ? () -> load.work(new KeptAlive(port, host, path)) : () -> load.work(null);
      Thread t = Thread.ofPlatform().name("load " + i).daemon().start(work);
      load.threads.add(t);
    }
    return load;
  }

  private void work(KeptAlive connection) {
    while (!stopped) {
      requests.incrementAndGet();
      String reason;
      try {
        int status =
            connection == null
                ? LoopbackHttp.status(LoopbackHttp.get(port, host, path))
                : connection.get();
        if (status == 200) {
          ok.incrementAndGet();
          continue;
        }
        reason = "HTTP " + status;
      } catch (IOException | IllegalArgumentException e) {
        reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
      synchronized (firstFailures) {
        if (firstFailures.size() < KEEP_FIRST) {
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
          firstFailures.add("at " + ms + " ms: " + reason);
        }
      }
    }
  }

  /**
   * One client connection used for request after request. A request that finds a reused connection
   * closed before any byte of its answer is sent again on a new one, as HTTP clients do (the server
   * closed an idle connection as the request went out).
   */
  private static final class KeptAlive {
    private final int port;
    private final byte[] request;
    private Socket socket;
    private InputStream in;
    private boolean answered;

    KeptAlive(int port, String host, String path) {
      this.port = port;
      this.request =
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
    }

    int get() throws IOException {
      boolean reused = socket != null;
      answered = false;
      try {
        return exchange();
      } catch (IOException e) {
        close();
        if (!reused || answered) {
          throw e;
        }
        return exchange();
      }
    }

    private int exchange() throws IOException {
      if (socket == null) {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        // As browsers do: a request waits for no acknowledgement of the previous one.
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
      }
      socket.getOutputStream().write(request);
      String statusLine = line(true);
      long length = -1;
      boolean close = statusLine.startsWith("HTTP/1.0");
      for (String header = line(false); !header.isEmpty(); header = line(false)) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).strip());
        } else if (lower.startsWith("connection:")) {
          close = lower.contains("close");
        }
      }
      if (length < 0) {
        in.readAllBytes();
        close = true;
      } else {
        in.skipNBytes(length);
      }
      if (close) {
        close();
      }
      return LoopbackHttp.status(statusLine + "\r\n");
    }

    private String line(boolean first) throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException(
              first && line.isEmpty()
                  ? "connection closed before the answer"
                  : "connection closed in the middle of an answer");
        }
        answered = true;
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    private void close() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException ignored) {
        // Closing is all that is left to do with it.
      }
      socket = null;
    }
  }

  public Totals totals() {
    Map<String, Long> counts = new TreeMap<>();
    failures.forEach((reason, n) -> counts.put(reason, n.get()));
    synchronized (firstFailures) {
      return new Totals(requests.get(), ok.get(), counts, List.copyOf(firstFailures));
    }
  }

  /** Stops sending; waits for requests in flight; returns the totals. */
  public Totals stop() throws InterruptedException {
    stopped = true;
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    return totals();
  }
}
