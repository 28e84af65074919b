package dev.lain.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator on loopback: {@code workers} threads each sending GET requests one after the
 * other, each on a new connection (so no request is lost to a keep-alive connection the server
 * closed, which clients retry and which would blur what is counted). Every request that does not
 * get a 200 is a failure, recorded with its reason.
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
    HttpLoad load = new HttpLoad(port, host, path);
    for (int i = 0; i < workers; i++) {
      Thread t = Thread.ofPlatform().name("load " + i).daemon().start(load::work);
      load.threads.add(t);
    }
    return load;
  }

  private void work() {
    while (!stopped) {
      requests.incrementAndGet();
      String reason;
      try {
        String response = LoopbackHttp.get(port, host, path);
        int status = LoopbackHttp.status(response);
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
