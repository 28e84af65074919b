package dev.lain.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchRecorder;
import dev.lain.testkit.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Watches across etcd outages: whatever happens to the connection, the listener gets every revision
 * exactly once and in order. Each test has its own etcd, since it stops it.
 */
@SuppressWarnings("try")
class EtcdWatchRecoveryTest {
  private static final int WRITES = 120;
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(2);

  @Test
  void aWatchSurvivesAnEtcdStopAndStartWithoutGapsOrDuplicates() throws Exception {
    watchSurvives(EtcdServer::stop);
  }

  @Test
  void aWatchSurvivesAnEtcdCrashAndRestartWithoutGapsOrDuplicates() throws Exception {
    watchSurvives(EtcdServer::kill);
  }

  private void watchSurvives(Consumer<EtcdServer> outage) throws Exception {
    try (EtcdServer etcd = EtcdServer.startPrivate();
        EtcdStore store = EtcdStore.open(etcd.url(), PUT_TIMEOUT)) {
      long from = store.revision() + 1;
      WatchRecorder live = new WatchRecorder();
      List<Long> acknowledged = new CopyOnWriteArrayList<>();
      ExecutorService writerThread = Executors.newSingleThreadExecutor();
      try (Watch watch = store.watch("/recovery/", from, live)) {
        CompletableFuture<Void> writer =
            CompletableFuture.runAsync(() -> write(store, acknowledged), writerThread);

        awaitCount(acknowledged, WRITES / 3);
        outage.accept(etcd);
        Thread.sleep(1_500); // the writer keeps failing meanwhile
        assertThat(writer).isNotDone();
        etcd.start();
        writer.get(90, TimeUnit.SECONDS);

        long last = store.revision();
        List<WatchEvent> received = live.awaitRevision(last, Duration.ofSeconds(60));
        List<Long> revisions = received.stream().map(WatchEvent::revision).toList();
        assertThat(revisions).isSorted().doesNotHaveDuplicates().containsAll(acknowledged);
        assertThat(watch.lastDeliveredRevision()).isEqualTo(last);

        // etcd's own history of the same range, read by a watch that never saw an outage.
        WatchRecorder replay = new WatchRecorder();
        try (Watch ignored = store.watch("/recovery/", from, replay)) {
          replay.awaitRevision(last, Duration.ofSeconds(20));
        }
        assertThat(live.described()).isEqualTo(replay.described());
        assertThat(((EtcdWatch) watch).resumes()).isPositive();
        assertThat(live.closedBy()).isNull();
        assertThat(live.compactedAt()).isZero();
      } finally {
        writerThread.shutdownNow();
      }
    }
  }

  /** Writes {@link #WRITES} values, retrying each until etcd takes it. */
  private static void write(EtcdStore store, List<Long> acknowledged) {
    for (int i = 0; i < WRITES; i++) {
      while (true) {
        try {
          acknowledged.add(store.put("/recovery/k" + (i % 7), "v" + i));
          break;
        } catch (StoreException e) {
          if (e.code() != StoreException.Code.UNAVAILABLE) {
            throw e;
          }
          sleep(100);
        }
      }
      sleep(10);
    }
  }

  private static void awaitCount(List<Long> list, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (list.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the writer made only " + list.size() + " writes");
      }
      Thread.sleep(10);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
