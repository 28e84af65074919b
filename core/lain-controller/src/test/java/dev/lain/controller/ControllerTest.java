package dev.lain.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lain.controller.testing.ManualScheduler;
import dev.lain.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Controllers on manual time ({@link ManualScheduler}): the test moves time, Awaitility only waits
 * for the workers to get to what time made due.
 */
class ControllerTest {
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

  private final ManualScheduler time = new ManualScheduler();
  private final List<Controller<?>> controllers = new ArrayList<>();
  private final List<String> synced = new CopyOnWriteArrayList<>();
  private ListAppender<ILoggingEvent> logged;

  @BeforeEach
  void captureLogs() {
    logged = new ListAppender<>();
    logged.start();
    controllerLogger().addAppender(logged);
  }

  @AfterEach
  void closeControllers() {
    controllers.forEach(Controller::close);
    controllerLogger().detachAppender(logged);
  }

  private static Logger controllerLogger() {
    return (Logger) LoggerFactory.getLogger(Controller.class);
  }

  private <K> Controller<K> start(Controller.Builder<K> builder) {
    Controller<K> controller = builder.scheduler(time).build().start();
    controllers.add(controller);
    return controller;
  }

  /** A reconciler that records each key and succeeds. */
  private Reconciler<String> recording() {
    return key -> {
      synced.add(key);
      return Result.done();
    };
  }

  private List<ILoggingEvent> logged(Level level) {
    return logged.list.stream().filter(e -> e.getLevel() == level).toList();
  }

  @Test
  void anEnqueuedKeyIsSyncedOnAThreadNamedAfterTheController() {
    List<String> threads = new CopyOnWriteArrayList<>();
    Controller<String> pets =
        start(
            Controller.<String>builder(
                "pets",
                key -> {
                  synced.add(key);
                  threads.add(Thread.currentThread().getName());
                  return Result.done();
                }));

    pets.enqueue("cat");

    await().until(() -> synced.equals(List.of("cat")));
    assertThat(threads).containsExactly("pets");
    assertThat(pets.name()).isEqualTo("pets");
  }

  @Test
  void aFailingSyncIsRetriedWithADoublingBackoffUntilItSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    Controller<String> pets =
        start(
            Controller.<String>builder(
                    "pets",
                    key -> {
                      if (calls.incrementAndGet() <= 3) {
                        throw new StoreException(StoreException.Code.UNAVAILABLE, "store down");
                      }
                      return Result.done();
                    })
                .backoff(BACKOFF));

    pets.enqueue("cat");
    await().until(() -> time.pending().equals(List.of(Duration.ofMillis(100))));
    time.advance(Duration.ofMillis(100));
    await().until(() -> time.pending().equals(List.of(Duration.ofMillis(200))));
    time.advance(Duration.ofMillis(200));
    await().until(() -> time.pending().equals(List.of(Duration.ofMillis(400))));
    time.advance(Duration.ofMillis(400));

    await().until(() -> calls.get() == 4);
    assertThat(time.pending()).isEmpty();
  }

  @Test
  void aSuccessEndsTheFailureStreakSoTheNextFailureWaitsTheShortestBackoffAgain() {
    AtomicInteger calls = new AtomicInteger();
    Controller<String> pets =
        start(
            Controller.<String>builder(
                    "pets",
                    key -> {
                      // fails, fails, succeeds, fails
                      if (calls.incrementAndGet() != 3) {
                        throw new StoreException(StoreException.Code.UNAVAILABLE, "store down");
                      }
                      return Result.done();
                    })
                .backoff(BACKOFF));
    pets.enqueue("cat");
    await().until(() -> time.pending().equals(List.of(Duration.ofMillis(100))));
    time.advance(Duration.ofMillis(100));
    await().until(() -> time.pending().equals(List.of(Duration.ofMillis(200))));
    time.advance(Duration.ofMillis(200));
    await().until(() -> calls.get() == 3);

    pets.enqueue("cat");

    await().until(() -> time.pending().equals(List.of(Duration.ofMillis(100))));
  }

  @Test
  void aStoreOutageIsLoggedOnceWithoutAStackTraceAndItsEndOnce() {
    AtomicInteger calls = new AtomicInteger();
    Controller<String> pets =
        start(
            Controller.<String>builder(
                    "pets",
                    key -> {
                      if (calls.incrementAndGet() <= 3) {
                        throw new StoreException(StoreException.Code.UNAVAILABLE, "store down");
                      }
                      return Result.done();
                    })
                .backoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(100))));
    pets.enqueue("cat");
    for (int retry = 1; retry <= 3; retry++) {
      await().until(() -> !time.pending().isEmpty());
      time.advance(Duration.ofMillis(100));
    }
    await().until(() -> calls.get() == 4);
    await().until(() -> !logged(Level.INFO).isEmpty());

    assertThat(logged(Level.WARN)).hasSize(1);
    ILoggingEvent warning = logged(Level.WARN).getFirst();
    assertThat(warning.getFormattedMessage())
        .isEqualTo(
            "pets: sync of cat failed, retrying with back-off (first in 100 ms): store down");
    assertThat(warning.getThrowableProxy()).isNull();
    assertThat(logged(Level.ERROR)).isEmpty();
    assertThat(logged(Level.INFO))
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("pets: synced cat again after 3 failed attempt(s)");
  }

  @Test
  void anUnexpectedFailureIsLoggedWithItsStackTraceAndRetriedLikeAnyOther() {
    AtomicInteger calls = new AtomicInteger();
    start(
            Controller.<String>builder(
                    "pets",
                    key -> {
                      if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("bug");
                      }
                      return Result.done();
                    })
                .backoff(BACKOFF))
        .enqueue("cat");
    await().until(() -> time.pending().equals(List.of(Duration.ofMillis(100))));
    time.advance(Duration.ofMillis(100));
    await().until(() -> calls.get() == 2);

    assertThat(logged(Level.ERROR)).hasSize(1);
    assertThat(logged(Level.ERROR).getFirst().getThrowableProxy().getMessage()).isEqualTo("bug");
  }

  @Test
  void failuresOfATypeDeclaredExpectedAreLoggedWithoutAStackTrace() {
    start(
            Controller.<String>builder(
                    "pets",
                    key -> {
                      throw new java.io.IOException("docker restarting");
                    })
                .expected(java.io.IOException.class))
        .enqueue("cat");

    await().until(() -> !logged(Level.WARN).isEmpty());
    assertThat(logged(Level.WARN).getFirst().getThrowableProxy()).isNull();
    assertThat(logged(Level.WARN).getFirst().getFormattedMessage()).endsWith(": docker restarting");
  }

  @Test
  void aSyncAskingToBeRequeuedIsSyncedAgainOnceItsDelayIsUp() {
    AtomicInteger calls = new AtomicInteger();
    start(
            Controller.<String>builder(
                "probe",
                key -> {
                  synced.add(key);
                  return calls.incrementAndGet() == 1
                      ? Result.requeueAfter(Duration.ofSeconds(5))
                      : Result.done();
                }))
        .enqueue("hello-1");
    await().until(() -> time.pending().equals(List.of(Duration.ofSeconds(5))));
    assertThat(synced).containsExactly("hello-1");

    time.advance(Duration.ofSeconds(5));

    await().until(() -> synced.size() == 2);
    assertThat(time.pending()).isEmpty();
  }

  @Test
  void aBurstOfDelayedEnqueuesBecomesOneSyncWhenTheFirstDelayIsUp() {
    Controller<String> router = start(Controller.<String>builder("router", recording()));

    for (int i = 0; i < 10; i++) {
      router.enqueueAfter("routes", Duration.ofMillis(20));
    }
    assertThat(time.pending()).containsExactly(Duration.ofMillis(20));
    time.advance(Duration.ofMillis(20));

    await().until(() -> synced.size() == 1);
    // A later key on the same single worker is a marker: once it is synced, nothing else was due.
    router.enqueue("marker");
    await().until(() -> synced.contains("marker"));
    assertThat(synced).containsExactly("routes", "marker");
  }

  @Test
  void aKeyEnqueuedWhileItSyncsIsSyncedAgainAfterwards() {
    CountDownLatch release = new CountDownLatch(1);
    Controller<String> router =
        start(
            Controller.<String>builder(
                "router",
                key -> {
                  synced.add(key);
                  if (synced.size() == 1) {
                    release.await();
                  }
                  return Result.done();
                }));
    router.enqueue("routes");
    await().until(() -> synced.size() == 1);

    router.enqueue("routes");
    router.enqueue("routes");
    release.countDown();

    await().until(() -> synced.size() == 2);
    router.enqueue("marker");
    await().until(() -> synced.contains("marker"));
    assertThat(synced).containsExactly("routes", "routes", "marker");
  }

  @Test
  void resyncQueuesEveryKeyAtStartAndAgainEveryPeriod() {
    start(
        Controller.<String>builder("agent", recording())
            .resync(Duration.ofSeconds(10), () -> Set.of("node1", "node2")));
    await().until(() -> synced.size() == 2);
    assertThat(time.pending()).containsExactly(Duration.ofSeconds(10));

    time.advance(Duration.ofSeconds(10));

    await().until(() -> synced.size() == 4);
    assertThat(synced).containsExactlyInAnyOrder("node1", "node2", "node1", "node2");
    assertThat(time.pending()).containsExactly(Duration.ofSeconds(10));
  }

  @Test
  void resyncLeavesAFailingKeyToItsBackoff() {
    AtomicInteger calls = new AtomicInteger();
    Controller<String> engine =
        start(
            Controller.<String>builder(
                    "engine",
                    key -> {
                      synced.add(key);
                      if (key.equals("pass")) {
                        calls.incrementAndGet();
                        throw new StoreException(StoreException.Code.UNAVAILABLE, "store down");
                      }
                      return Result.done();
                    })
                .resync(Duration.ofSeconds(1), "pass")
                .backoff(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10))));
    await().until(() -> time.pending().size() == 2);

    time.advance(Duration.ofSeconds(1));
    engine.enqueue("marker");

    await().until(() -> synced.contains("marker"));
    assertThat(calls).hasValue(1);
    time.advance(Duration.ofSeconds(9));
    await().until(() -> calls.get() == 2);
  }

  @Test
  void severalWorkersSyncDifferentKeysAtOnce() {
    CyclicBarrier bothSyncing = new CyclicBarrier(2);
    List<String> threads = new CopyOnWriteArrayList<>();
    Controller<String> probes =
        start(
            Controller.<String>builder(
                    "probes",
                    key -> {
                      threads.add(Thread.currentThread().getName());
                      // With one worker this would time out.
                      bothSyncing.await(10, TimeUnit.SECONDS);
                      synced.add(key);
                      return Result.done();
                    })
                .workers(2));

    probes.enqueue("hello-1");
    probes.enqueue("hello-2");

    await().until(() -> synced.size() == 2);
    assertThat(threads).containsExactlyInAnyOrder("probes worker 1", "probes worker 2");
  }

  @Test
  void closeWaitsForTheRunningSyncToFinishAndThenNothingMoreIsSynced() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Controller<String> router =
        start(
            Controller.<String>builder(
                "closing router",
                key -> {
                  synced.add(key);
                  release.await();
                  finished.set(true);
                  return Result.requeueAfter(Duration.ofSeconds(1));
                }));
    router.enqueue("routes");
    await().until(() -> synced.size() == 1);

    Thread closer = Thread.ofPlatform().start(router::close);
    await().until(() -> closer.getState() == Thread.State.TIMED_WAITING);
    assertThat(closer.isAlive()).as("close returned while the sync ran").isTrue();
    router.enqueue("routes");
    release.countDown();
    closer.join(Duration.ofSeconds(10));

    assertThat(closer.isAlive()).isFalse();
    assertThat(finished).isTrue();
    assertThat(time.pending()).as("the requeue after close").isEmpty();
    assertThat(liveThreadsNamed("closing router")).isEmpty();
    router.enqueue("routes");
    assertThat(synced).containsExactly("routes");
  }

  @Test
  void closeFromInsideASyncReturnsWithoutWaitingForThatSync() {
    AtomicReference<Controller<String>> self = new AtomicReference<>();
    AtomicBoolean closeReturned = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Controller<String> router =
        start(
            Controller.<String>builder(
                    "self-closing router",
                    key -> {
                      started.await();
                      self.get().close();
                      closeReturned.set(true);
                      return Result.done();
                    })
                .closeTimeout(Duration.ofMinutes(5)));
    self.set(router);
    router.enqueue("routes");
    started.countDown();

    await().atMost(Duration.ofSeconds(10)).untilTrue(closeReturned);
    await().until(() -> liveThreadsNamed("self-closing router").isEmpty());
    // Closing again from outside, as the owner's own close would, returns at once.
    router.close();
  }

  @Test
  void aSyncStillRunningWhenTheCloseTimeoutIsUpIsInterrupted() {
    AtomicBoolean interrupted = new AtomicBoolean();
    Controller<String> router =
        start(
            Controller.<String>builder(
                    "stuck router",
                    key -> {
                      synced.add(key);
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                      }
                      return Result.done();
                    })
                .closeTimeout(Duration.ofMillis(50)));
    router.enqueue("routes");
    await().until(() -> synced.size() == 1);

    router.close();

    await().untilTrue(interrupted);
    await().until(() -> liveThreadsNamed("stuck router").isEmpty());
    assertThat(logged(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "stuck router: 1 sync(s) still running 50 ms after close; interrupting them");
  }

  private static List<Thread> liveThreadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .toList();
  }
}
