package dev.lain.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lain.controller.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The work queue's promises, one scenario per row, on manual time. Each step is a call or a check:
 *
 * <pre>
 * add K            queue.add(K)
 * addAfter K MS    queue.addAfter(K, MS ms)
 * fail K MS        queue.addRateLimited(K), which must choose a back-off of MS ms
 * forget K         queue.forget(K)
 * advance MS       time moves on MS ms (timers that fall due fire)
 * take K           a key is queued and take() hands out K
 * done K           queue.done(K)
 * queued N         N keys are queued
 * shutDown         queue.shutDown()
 * takeNothing      take() returns at once, with nothing
 * </pre>
 *
 * The back-off of every scenario is 100 ms doubling up to 1 s.
 */
class WorkQueueTest {
  static Stream<Arguments> scenarios() {
    return Stream.of(
        scenario(
            "a key added twice before it is taken is queued once",
            "add a",
            "add a",
            "queued 1",
            "take a",
            "queued 0"),
        scenario(
            "keys are handed out in the order they were first added",
            "add a",
            "add b",
            "add a",
            "take a",
            "take b",
            "queued 0"),
        scenario(
            "a key processed and done without being added again is not queued again",
            "add a",
            "take a",
            "done a",
            "queued 0"),
        scenario(
            "a key added while it is processed is not handed out again before it is done",
            "add a",
            "take a",
            "add a",
            "queued 0",
            "done a",
            "take a"),
        scenario(
            "a key added many times while it is processed is processed once more",
            "add a",
            "take a",
            "add a",
            "add a",
            "add a",
            "done a",
            "queued 1",
            "take a",
            "done a",
            "queued 0"),
        scenario(
            "other keys are handed out while one is processed",
            "add a",
            "take a",
            "add a",
            "add b",
            "take b",
            "done a",
            "take a"),
        scenario(
            "a delayed key is queued when its delay is up, not before",
            "addAfter a 100",
            "queued 0",
            "advance 99",
            "queued 0",
            "advance 1",
            "take a"),
        scenario("a zero delay queues the key at once", "addAfter a 0", "take a"),
        scenario(
            "a later due time does not postpone an earlier one",
            "addAfter a 50",
            "addAfter a 100",
            "advance 50",
            "take a",
            "done a",
            "advance 50",
            "queued 0"),
        scenario(
            "an earlier due time replaces a later one",
            "addAfter a 100",
            "addAfter a 50",
            "advance 50",
            "take a",
            "done a",
            "advance 50",
            "queued 0"),
        scenario(
            "a delay asked for a queued key does nothing: it is processed sooner anyway",
            "add a",
            "addAfter a 100",
            "take a",
            "done a",
            "advance 100",
            "queued 0"),
        scenario(
            "a delayed key that falls due while it is processed is processed again afterwards",
            "add a",
            "take a",
            "addAfter a 100",
            "advance 100",
            "queued 0",
            "done a",
            "take a"),
        scenario(
            "delays of different keys run independently",
            "addAfter b 200",
            "addAfter a 100",
            "advance 100",
            "take a",
            "queued 0",
            "advance 100",
            "take b"),
        scenario(
            "the back-off doubles with each failure in a row and stops at its max",
            "fail a 100",
            "fail a 200",
            "fail a 400",
            "fail a 800",
            "fail a 1000",
            "fail a 1000"),
        scenario(
            "a failed key is queued again after its back-off",
            "fail a 100",
            "advance 99",
            "queued 0",
            "advance 1",
            "take a"),
        scenario(
            "forgetting a key ends its failure streak",
            "fail a 100",
            "fail a 200",
            "forget a",
            "fail a 100"),
        scenario("each key has its own failure streak", "fail a 100", "fail a 200", "fail b 100"),
        scenario(
            "after shut down nothing is handed out, added or delayed",
            "add a",
            "addAfter b 10",
            "shutDown",
            "takeNothing",
            "add c",
            "advance 10",
            "takeNothing",
            "queued 0"),
        scenario(
            "a key processed during shut down is not queued again when done",
            "add a",
            "take a",
            "add a",
            "shutDown",
            "done a",
            "takeNothing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void keepsItsPromises(String promise, List<String> steps) throws InterruptedException {
    ManualScheduler time = new ManualScheduler();
    WorkQueue<String> queue =
        new WorkQueue<>(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), time);
    for (String step : steps) {
      String[] words = step.split(" ");
      switch (words[0]) {
        case "add" -> queue.add(words[1]);
        case "addAfter" -> queue.addAfter(words[1], millis(words[2]));
        case "fail" ->
            assertThat(queue.addRateLimited(words[1])).as(step).isEqualTo(millis(words[2]));
        case "forget" -> queue.forget(words[1]);
        case "advance" -> time.advance(millis(words[1]));
        case "take" -> {
          // take() would block on an empty queue; fail instead.
          assertThat(queue.length()).as(step + ": something is queued").isPositive();
          assertThat(queue.take()).as(step).contains(words[1]);
        }
        case "done" -> queue.done(words[1]);
        case "queued" -> assertThat(queue.length()).as(step).isEqualTo(Integer.parseInt(words[1]));
        case "shutDown" -> queue.shutDown();
        case "takeNothing" -> {
          assertThat(queue.isShutDown()).as(step + ": only a shut down queue returns").isTrue();
          assertThat(queue.take()).as(step).isEmpty();
        }
        default -> throw new IllegalArgumentException("unknown step: " + step);
      }
    }
  }

  private static Arguments scenario(String promise, String... steps) {
    return Arguments.of(promise, List.of(steps));
  }

  private static Duration millis(String count) {
    return Duration.ofMillis(Long.parseLong(count));
  }

  @Test
  void shuttingDownWakesABlockedTakerWhichGetsNothing() throws InterruptedException {
    WorkQueue<String> queue = new WorkQueue<>(Backoff.DEFAULT, new ManualScheduler());
    AtomicReference<Optional<String>> taken = new AtomicReference<>();
    Thread taker =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    taken.set(queue.take());
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                });
    await().until(() -> taker.getState() == Thread.State.WAITING);

    queue.shutDown();

    taker.join(Duration.ofSeconds(10));
    assertThat(taker.isAlive()).isFalse();
    assertThat(taken.get()).isEmpty();
  }

  @Test
  void aKeyAddedToAnEmptyQueueWakesABlockedTaker() throws InterruptedException {
    WorkQueue<String> queue = new WorkQueue<>(Backoff.DEFAULT, new ManualScheduler());
    AtomicReference<Optional<String>> taken = new AtomicReference<>();
    Thread taker =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    taken.set(queue.take());
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                });
    await().until(() -> taker.getState() == Thread.State.WAITING);

    queue.add("a");

    taker.join(Duration.ofSeconds(10));
    assertThat(taken.get()).contains("a");
  }

  @Test
  void manyTakersNeverProcessOneKeyAtOnceAndTheLastAdditionOfEachKeyIsAlwaysSeen()
      throws InterruptedException {
    int keys = 5;
    WorkQueue<Integer> queue = new WorkQueue<>(Backoff.DEFAULT, new ManualScheduler());
    AtomicIntegerArray lastAdded = new AtomicIntegerArray(keys);
    AtomicIntegerArray lastSeen = new AtomicIntegerArray(keys);
    AtomicIntegerArray inProgress = new AtomicIntegerArray(keys);
    AtomicInteger overlaps = new AtomicInteger();
    List<Thread> takers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      takers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (Optional<Integer> taken = queue.take();
                          taken.isPresent();
                          taken = queue.take()) {
                        int key = taken.get();
                        if (inProgress.incrementAndGet(key) > 1) {
                          overlaps.incrementAndGet();
                        }
                        lastSeen.set(key, lastAdded.get(key));
                        inProgress.decrementAndGet(key);
                        queue.done(key);
                      }
                    } catch (InterruptedException e) {
                      throw new AssertionError(e);
                    }
                  }));
    }
    int additions = 20_000;
    for (int i = 1; i <= additions; i++) {
      lastAdded.set(i % keys, i);
      queue.add(i % keys);
    }

    // An addition while the key was processed was not dropped: a later processing saw it.
    await()
        .until(() -> IntStream.range(0, keys).allMatch(k -> lastSeen.get(k) == lastAdded.get(k)));
    queue.shutDown();
    for (Thread taker : takers) {
      taker.join(Duration.ofSeconds(10));
    }
    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aBackoffNeverOverflowsHoweverLongTheStreak() {
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofDays(1));

    assertThat(backoff.after(1)).isEqualTo(Duration.ofMillis(1));
    assertThat(backoff.after(11)).isEqualTo(Duration.ofMillis(1024));
    assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void aBackoffWhoseMaxIsBelowItsMinIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("back-off max PT1S is below its min PT2S");
  }
}
