package dev.lain.bench;

import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.testkit.EtcdServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the store backends: put throughput (one writer, then several), watch delivery
 * throughput, and watch latency (from the start of a put to its event reaching a watcher). Prints
 * figures; asserts nothing.
 */
@Command(
    name = "lain-bench-store",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark store backends. Without --store: the embedded store in a temporary file and a"
            + " private etcd on 127.0.0.1 (if etcd is installed).")
// "try": watches are scoped with try-with-resources whose variable the body does not need.
@SuppressWarnings("try")
public final class StoreBench implements Callable<Integer> {
  private final PrintStream out;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description = "A store URL to measure (repeatable).")
  List<String> stores = new ArrayList<>();

  @Option(names = "--puts", description = "Puts per throughput run (default ${DEFAULT-VALUE}).")
  int puts = 3000;

  @Option(
      names = "--writers",
      description = "Concurrent writers in the parallel run (default ${DEFAULT-VALUE}).")
  int writers = 8;

  @Option(
      names = "--latency-samples",
      description = "Watch latency samples (default ${DEFAULT-VALUE}).")
  int latencySamples = 1000;

  @Option(names = "--value-size", description = "Bytes per value (default ${DEFAULT-VALUE}).")
  int valueSize = 256;

  StoreBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new StoreBench(System.out)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> urls = new ArrayList<>(stores);
    Path tmp = null;
    EtcdServer etcd = null;
    try {
      if (urls.isEmpty()) {
        tmp = Files.createTempDirectory("lain-bench");
        urls.add("embedded:" + tmp.resolve("store.db"));
        if (onPath("etcd")) {
          etcd = EtcdServer.startPrivate();
          urls.add(etcd.url());
        } else {
          out.println("note: etcd is not installed; measuring the embedded store only");
        }
      }
      out.printf(
          "%s%n",
          "puts="
              + puts
              + " writers="
              + writers
              + " latency-samples="
              + latencySamples
              + " value-size="
              + valueSize
              + "B  ("
              + Runtime.getRuntime().availableProcessors()
              + " CPUs, Java "
              + Runtime.version()
              + ")");
      out.printf(
          "%-9s %12s %14s %16s %34s%n",
          "backend",
          "put/s (1 w)",
          "put/s (" + writers + " w)",
          "watch ev/s (" + writers + " w)",
          "watch latency ms p50 / p90 / p99 / max");
      for (String url : urls) {
        try (Store store = Stores.open(url)) {
          measure(store);
        }
      }
      return 0;
    } finally {
      if (etcd != null) {
        etcd.close();
      }
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  private void measure(Store store) throws Exception {
    String value = "v".repeat(valueSize);
    String root = "/bench/" + System.nanoTime() + "/";
    sequentialPuts(store, root + "warmup/", value, Math.min(500, puts));

    double single = sequentialPuts(store, root + "single/", value, puts);
    double parallel = parallelPuts(store, root + "parallel/", value);
    double delivery = watchThroughput(store, root + "delivery/", value);
    double[] latency = watchLatency(store, root + "latency/", value);

    out.printf(
        "%-9s %12.0f %14.0f %16.0f %34s%n",
        store.backend(),
        single,
        parallel,
        delivery,
        String.format("%.2f / %.2f / %.2f / %.2f", latency[0], latency[1], latency[2], latency[3]));
    store.deletePrefix(root);
  }

  private static double sequentialPuts(Store store, String prefix, String value, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      store.put(prefix + (i % 100), value);
    }
    return count / Measure.secondsSince(start);
  }

  private double parallelPuts(Store store, String prefix, String value) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      int each = puts / writers;
      List<Future<?>> done = new ArrayList<>();
      long start = System.nanoTime();
      for (int w = 0; w < writers; w++) {
        String mine = prefix + w + "/";
        done.add(pool.submit(() -> sequentialPuts(store, mine, value, each)));
      }
      for (Future<?> f : done) {
        f.get();
      }
      return each * writers / Measure.secondsSince(start);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Events per second reaching one watcher while all writers put as fast as they can. */
  private double watchThroughput(Store store, String prefix, String value) throws Exception {
    int each = puts / writers;
    int total = each * writers;
    AtomicInteger seen = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    long start;
    try (Watch ignored =
        store.watch(
            prefix,
            0,
            events -> {
              if (seen.addAndGet(events.size()) >= total) {
                all.countDown();
              }
            })) {
      start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String mine = prefix + w + "/";
        done.add(pool.submit(() -> sequentialPuts(store, mine, value, each)));
      }
      for (Future<?> f : done) {
        f.get();
      }
      if (!all.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("watch delivered only " + seen.get() + " of " + total);
      }
    } finally {
      pool.shutdownNow();
    }
    return total / Measure.secondsSince(start);
  }

  /** Milliseconds from the start of a put to its event at a watcher: p50, p90, p99, max. */
  private double[] watchLatency(Store store, String prefix, String value) throws Exception {
    ConcurrentHashMap<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
    long[] nanos = new long[latencySamples];
    try (Watch ignored =
        store.watch(
            prefix,
            0,
            events -> {
              for (WatchEvent event : events) {
                CountDownLatch latch = waiting.remove(event.key());
                if (latch != null) {
                  latch.countDown();
                }
              }
            })) {
      for (int i = 0; i < latencySamples; i++) {
        String key = prefix + i;
        CountDownLatch latch = new CountDownLatch(1);
        waiting.put(key, latch);
        long start = System.nanoTime();
        store.put(key, value);
        if (!latch.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no watch event for " + key);
        }
        nanos[i] = System.nanoTime() - start;
      }
    }
    Arrays.sort(nanos);
    return new double[] {
      Measure.percentileMillis(nanos, 0.50),
      Measure.percentileMillis(nanos, 0.90),
      Measure.percentileMillis(nanos, 0.99),
      nanos[nanos.length - 1] / 1e6
    };
  }

  private static boolean onPath(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    return Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
