package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store backend must have. Each backend's module subclasses this once; the
 * tests run unchanged against all of them. Tests write under a fresh key root each, so a shared
 * server (etcd) is fine.
 */
// "try": watches are scoped with try-with-resources whose variable the body does not need.
@SuppressWarnings("try")
public abstract class StoreContract {

  /** A new store object for one test. */
  protected abstract Store openStore();

  /**
   * For election tests where leadership changes only by resigning or closing: a keep-alive delayed
   * on a busy machine must not let a lease expire and reorder the line.
   */
  private static final Duration STEADY_LEASE = Duration.ofSeconds(30);

  /** A lease TTL short enough for a test, long enough for the backend to honour. */
  protected Duration shortLeaseTtl() {
    return Duration.ofSeconds(1);
  }

  protected Store store;
  protected String root;

  @BeforeEach
  void openFreshStore() {
    store = openStore();
    root = "/contract-" + UUID.randomUUID() + "/";
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private String key(String name) {
    return root + name;
  }

  // ---- get / put / delete ----------------------------------------------------------------

  @Test
  void putThenGetReturnsTheValueWithItsRevisions() {
    long before = store.revision();
    long rev = store.put(key("a"), "hello");

    assertThat(rev).isGreaterThan(before);
    assertThat(store.revision()).isEqualTo(rev);
    KeyValue kv = store.get(key("a")).orElseThrow();
    assertThat(kv.value()).isEqualTo("hello");
    assertThat(kv.createRevision()).isEqualTo(rev);
    assertThat(kv.modRevision()).isEqualTo(rev);
    assertThat(kv.version()).isEqualTo(1);
    assertThat(kv.leaseId()).isEqualTo(Lease.NONE);
  }

  @Test
  void getOfAMissingKeyIsEmpty() {
    assertThat(store.get(key("missing"))).isEmpty();
  }

  @Test
  void overwritingKeepsCreateRevisionAndCountsVersions() {
    long first = store.put(key("a"), "1");
    long second = store.put(key("a"), "2");
    long third = store.put(key("a"), "2");

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
    KeyValue kv = store.get(key("a")).orElseThrow();
    assertThat(kv.createRevision()).isEqualTo(first);
    assertThat(kv.modRevision()).isEqualTo(third);
    assertThat(kv.version()).isEqualTo(3);
  }

  @Test
  void deleteRemovesTheKeyAndSaysWhetherItExisted() {
    store.put(key("a"), "1");
    assertThat(store.delete(key("a"))).isTrue();
    assertThat(store.get(key("a"))).isEmpty();
    assertThat(store.delete(key("a"))).isFalse();
  }

  @Test
  void deletingAMissingKeyCreatesNoRevision() {
    store.put(key("a"), "1");
    long rev = store.revision();
    store.delete(key("never-written"));
    assertThat(store.revision()).isEqualTo(rev);
  }

  @Test
  void aKeyCreatedAgainAfterDeletionStartsAFreshVersion() {
    store.put(key("a"), "1");
    store.put(key("a"), "2");
    store.delete(key("a"));
    long rev = store.put(key("a"), "3");

    KeyValue kv = store.get(key("a")).orElseThrow();
    assertThat(kv.createRevision()).isEqualTo(rev);
    assertThat(kv.version()).isEqualTo(1);
  }

  @Test
  void valuesRoundTripExactlyIncludingUnicodeJsonAndLargeValues() {
    String json = "[\"example.com\"]";
    String unicode = "Grüße, 你好, \uD83D\uDE80, tab\there, line\nbreak, quote\"";
    String large = "x".repeat(256 * 1024);
    store.put(key("json"), json);
    store.put(key("unicode"), unicode);
    store.put(key("large"), large);
    store.put(key("empty"), "");

    assertThat(store.get(key("json")).orElseThrow().value()).isEqualTo(json);
    assertThat(store.get(key("unicode")).orElseThrow().value()).isEqualTo(unicode);
    assertThat(store.get(key("large")).orElseThrow().value()).isEqualTo(large);
    assertThat(store.get(key("empty")).orElseThrow().value()).isEmpty();
  }

  @Test
  void keysThatDoNotStartWithASlashAreRejected() {
    assertThatThrownBy(() -> store.put("no-slash", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get("")).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- list -------------------------------------------------------------------------------

  @Test
  void listReturnsOnlyKeysUnderThePrefixSortedByKey() {
    store.put(key("dir/b"), "2");
    store.put(key("dir/a"), "1");
    store.put(key("dir/c/deep"), "3");
    store.put(key("dirx"), "not under dir/");
    store.put(key("other"), "no");

    Listing listing = store.list(key("dir/"));

    assertThat(listing.entries())
        .extracting(KeyValue::key)
        .containsExactly(key("dir/a"), key("dir/b"), key("dir/c/deep"));
    assertThat(listing.entries()).extracting(KeyValue::value).containsExactly("1", "2", "3");
    assertThat(listing.revision()).isEqualTo(store.revision());
  }

  @Test
  void aLargeListingIsCompleteSortedAndFromOneRevision() {
    List<Txn.Operation> puts = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      puts.add(new Txn.Put(key(String.format("big/%05d", i)), "v".repeat(2000)));
      if (puts.size() == 100) {
        store.commit(Txn.always(puts));
        puts.clear();
      }
    }
    long revision = store.revision();

    Listing listing = store.list(key("big/"));

    assertThat(listing.entries()).hasSize(2500);
    assertThat(listing.entries()).extracting(KeyValue::key).isSorted();
    assertThat(listing.entries().getLast().key()).isEqualTo(key("big/02499"));
    assertThat(listing.revision()).isGreaterThanOrEqualTo(revision);
  }

  @Test
  void listOfAnEmptyPrefixIsEmptyButStillHasARevision() {
    store.put(key("x"), "1");
    Listing listing = store.list(key("nothing/"));
    assertThat(listing.entries()).isEmpty();
    assertThat(listing.revision())
        .isGreaterThanOrEqualTo(store.get(key("x")).orElseThrow().modRevision());
  }

  @Test
  void deletePrefixRemovesEveryKeyUnderItInOneRevision() {
    store.put(key("p/a"), "1");
    store.put(key("p/b"), "2");
    store.put(key("q"), "stays");
    long before = store.revision();

    assertThat(store.deletePrefix(key("p/"))).isEqualTo(2);

    assertThat(store.revision()).isEqualTo(before + 1);
    assertThat(store.list(key("p/")).entries()).isEmpty();
    assertThat(store.get(key("q"))).isPresent();
    assertThat(store.deletePrefix(key("p/"))).isZero();
    assertThat(store.revision()).isEqualTo(before + 1);
  }

  // ---- compare-and-set and transactions ----------------------------------------------------

  @Test
  void compareAndSetWithRevisionZeroCreatesOnlyIfAbsent() {
    assertThat(store.compareAndSet(key("a"), 0, "first")).isTrue();
    assertThat(store.compareAndSet(key("a"), 0, "second")).isFalse();
    assertThat(store.get(key("a")).orElseThrow().value()).isEqualTo("first");
  }

  @Test
  void compareAndSetUpdatesOnlyAtTheExpectedRevision() {
    long rev = store.put(key("a"), "1");
    store.put(key("a"), "2");

    assertThat(store.compareAndSet(key("a"), rev, "stale writer")).isFalse();
    long current = store.get(key("a")).orElseThrow().modRevision();
    assertThat(store.compareAndSet(key("a"), current, "3")).isTrue();
    assertThat(store.get(key("a")).orElseThrow().value()).isEqualTo("3");
  }

  @Test
  void compareAndDeleteDeletesOnlyAtTheExpectedRevision() {
    long rev = store.put(key("a"), "1");
    store.put(key("a"), "2");
    assertThat(store.compareAndDelete(key("a"), rev)).isFalse();
    assertThat(store.get(key("a"))).isPresent();
    assertThat(store.compareAndDelete(key("a"), store.get(key("a")).orElseThrow().modRevision()))
        .isTrue();
    assertThat(store.get(key("a"))).isEmpty();
  }

  @Test
  void aFailedCompareAndSetCreatesNoRevision() {
    store.put(key("a"), "1");
    long rev = store.revision();
    assertThat(store.compareAndSet(key("a"), 0, "x")).isFalse();
    assertThat(store.revision()).isEqualTo(rev);
  }

  @Test
  void concurrentCompareAndSetIncrementsLoseNoUpdate() throws Exception {
    store.put(key("counter"), "0");
    int threads = 4;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    while (true) {
                      KeyValue kv = store.get(key("counter")).orElseThrow();
                      String next = Integer.toString(Integer.parseInt(kv.value()) + 1);
                      if (store.compareAndSet(key("counter"), kv.modRevision(), next)) {
                        break;
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.get(key("counter")).orElseThrow().value())
        .isEqualTo(Integer.toString(threads * perThread));
  }

  @Test
  void aTransactionAppliesAllOperationsInOneRevisionWhenEveryConditionHolds() {
    long revA = store.put(key("a"), "1");
    store.put(key("gone"), "x");

    TxnResult result =
        store.commit(
            Txn.when(
                    List.of(
                        new Txn.ModRevisionIs(key("a"), revA),
                        new Txn.ModRevisionIs(key("b"), 0),
                        new Txn.ValueIs(key("gone"), "x")))
                .then(
                    List.of(
                        new Txn.Put(key("a"), "2"),
                        new Txn.Put(key("b"), "new"),
                        new Txn.Delete(key("gone")))));

    assertThat(result.succeeded()).isTrue();
    assertThat(store.get(key("a")).orElseThrow().modRevision()).isEqualTo(result.revision());
    assertThat(store.get(key("b")).orElseThrow().modRevision()).isEqualTo(result.revision());
    assertThat(store.get(key("gone"))).isEmpty();
    assertThat(store.revision()).isEqualTo(result.revision());
  }

  @Test
  void aTransactionAppliesNothingWhenAnyConditionFails() {
    store.put(key("a"), "1");
    long rev = store.revision();

    TxnResult result =
        store.commit(
            Txn.when(
                    List.of(
                        new Txn.ValueIs(key("a"), "1"),
                        new Txn.ValueIs(key("missing"), "anything")))
                .then(List.of(new Txn.Put(key("a"), "changed"), new Txn.Put(key("c"), "new"))));

    assertThat(result.succeeded()).isFalse();
    assertThat(store.revision()).isEqualTo(rev);
    assertThat(store.get(key("a")).orElseThrow().value()).isEqualTo("1");
    assertThat(store.get(key("c"))).isEmpty();
  }

  @Test
  void aTransactionWritingOneKeyTwiceIsRejected() {
    assertThatThrownBy(
            () -> Txn.always(List.of(new Txn.Put(key("a"), "1"), new Txn.Delete(key("a")))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- watch ------------------------------------------------------------------------------

  @Test
  void aWatchSeesPutsAndDeletesUnderItsPrefixInOrder() {
    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("w/"), 0, recorder)) {
      long r1 = store.put(key("w/a"), "1");
      store.put(key("outside"), "ignored");
      long r2 = store.put(key("w/b"), "2");
      long r3 = store.put(key("w/a"), "3");
      store.delete(key("w/b"));

      List<WatchEvent> events = recorder.await(4);
      assertThat(events).hasSize(4);
      assertThat(events.get(0))
          .isEqualTo(new WatchEvent.Put(new KeyValue(key("w/a"), "1", r1, r1, 1, Lease.NONE)));
      assertThat(events.get(1))
          .isInstanceOfSatisfying(
              WatchEvent.Put.class,
              p -> {
                assertThat(p.kv().key()).isEqualTo(key("w/b"));
                assertThat(p.kv().modRevision()).isEqualTo(r2);
              });
      assertThat(events.get(2))
          .isInstanceOfSatisfying(
              WatchEvent.Put.class,
              p -> {
                assertThat(p.kv().value()).isEqualTo("3");
                assertThat(p.kv().modRevision()).isEqualTo(r3);
                assertThat(p.kv().version()).isEqualTo(2);
                assertThat(p.kv().createRevision()).isEqualTo(r1);
              });
      assertThat(events.get(3)).isInstanceOf(WatchEvent.Delete.class);
      assertThat(events.get(3).key()).isEqualTo(key("w/b"));
      assertThat(events.get(3).revision()).isGreaterThan(r3);
    }
  }

  @Test
  void aWatchFromAnOldRevisionReplaysHistoryThenFollows() {
    long r1 = store.put(key("h/a"), "1");
    store.put(key("h/a"), "2");
    store.delete(key("h/a"));

    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("h/"), r1, recorder)) {
      store.put(key("h/b"), "live");
      List<WatchEvent> events = recorder.await(4);
      assertThat(events)
          .extracting(e -> e.getClass().getSimpleName() + " " + e.key().substring(root.length()))
          .containsExactly("Put h/a", "Put h/a", "Delete h/a", "Put h/b");
      assertThat(events.getFirst().revision()).isEqualTo(r1);
    }
  }

  @Test
  void aWatchFromRevisionZeroStartsAfterTheCurrentRevision() {
    store.put(key("z/old"), "before the watch");
    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("z/"), 0, recorder)) {
      store.put(key("z/new"), "after");
      List<WatchEvent> events = recorder.await(1);
      assertThat(events).extracting(WatchEvent::key).containsExactly(key("z/new"));
      recorder.assertNoMoreWithin(Duration.ofMillis(200));
    }
  }

  @Test
  void theEventsOfOneTransactionArriveTogetherWithOneRevision() {
    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("t/"), 0, recorder)) {
      TxnResult result =
          store.commit(
              Txn.always(
                  List.of(
                      new Txn.Put(key("t/a"), "1"),
                      new Txn.Put(key("t/b"), "2"),
                      new Txn.Put(key("t/c"), "3"))));
      List<WatchEvent> events = recorder.await(3);
      assertThat(events).extracting(WatchEvent::revision).containsOnly(result.revision());
      assertThat(recorder.batches().getFirst()).hasSize(3);
    }
  }

  @Test
  void aDeletePrefixIsSeenAsOneDeleteEventPerKey() {
    store.put(key("d/a"), "1");
    store.put(key("d/b"), "2");
    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("d/"), 0, recorder)) {
      store.deletePrefix(key("d/"));
      List<WatchEvent> events = recorder.await(2);
      assertThat(events).allMatch(e -> e instanceof WatchEvent.Delete);
      assertThat(events)
          .extracting(WatchEvent::key)
          .containsExactlyInAnyOrder(key("d/a"), key("d/b"));
    }
  }

  @Test
  void aWatchResumedFromItsLastRevisionMissesNothingAndRepeatsNothing() {
    WatchRecorder first = new WatchRecorder();
    long lastSeen;
    try (Watch watch = store.watch(key("r/"), 0, first)) {
      for (int i = 0; i < 5; i++) {
        store.put(key("r/k"), "first-" + i);
      }
      first.await(5);
      lastSeen = watch.lastDeliveredRevision();
    }
    assertThat(lastSeen).isEqualTo(store.get(key("r/k")).orElseThrow().modRevision());

    // Changes while nobody watches.
    for (int i = 0; i < 5; i++) {
      store.put(key("r/k"), "gap-" + i);
    }

    WatchRecorder resumed = new WatchRecorder();
    try (Watch ignored = store.watch(key("r/"), lastSeen + 1, resumed)) {
      store.put(key("r/k"), "after");
      List<WatchEvent> events = resumed.await(6);
      assertThat(events)
          .extracting(e -> ((WatchEvent.Put) e).kv().value())
          .containsExactly("gap-0", "gap-1", "gap-2", "gap-3", "gap-4", "after");
    }
  }

  @Test
  void underConcurrentWritersAWatchSeesEveryRevisionExactlyOnceInOrder() throws Exception {
    WatchRecorder recorder = new WatchRecorder();
    int writers = 4;
    int perWriter = 100;
    try (Watch ignored = store.watch(key("c/"), 0, recorder)) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Long> written = new CopyOnWriteArrayList<>();
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          int writer = w;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perWriter; i++) {
                      written.add(store.put(key("c/" + writer + "/" + (i % 7)), "v" + i));
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      List<WatchEvent> events = recorder.await(writers * perWriter);
      List<Long> revisions = events.stream().map(WatchEvent::revision).toList();
      assertThat(revisions).isSorted().doesNotHaveDuplicates();
      assertThat(revisions).containsExactlyInAnyOrderElementsOf(written);
      recorder.assertNoMoreWithin(Duration.ofMillis(200));
    }
  }

  @Test
  void aSlowListenerDoesNotDelayAnotherWatch() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    WatchListener stuck =
        events -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    WatchRecorder fast = new WatchRecorder();
    try (Watch slow = store.watch(key("s/"), 0, stuck);
        Watch quick = store.watch(key("s/"), 0, fast)) {
      store.put(key("s/a"), "1");
      store.put(key("s/b"), "2");
      assertThat(fast.await(2)).hasSize(2);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aClosedWatchGetsNoMoreEvents() {
    WatchRecorder recorder = new WatchRecorder();
    Watch watch = store.watch(key("x/"), 0, recorder);
    store.put(key("x/a"), "1");
    recorder.await(1);
    watch.close();
    store.put(key("x/b"), "2");
    recorder.assertNoMoreWithin(Duration.ofMillis(300));
  }

  @Test
  void aWatchFromACompactedRevisionIsToldSoAndEnds() {
    long old = store.put(key("k/a"), "1");
    store.put(key("k/a"), "2");
    long latest = store.put(key("k/a"), "3");
    store.compact(latest);

    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("k/"), old, recorder)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.compactedAt() > 0);
      assertThat(recorder.compactedAt()).isGreaterThan(old);
      assertThat(recorder.events()).isEmpty();
    }
  }

  @Test
  void compactionKeepsCurrentValuesAndLaterHistory() {
    store.put(key("k/a"), "1");
    long latest = store.put(key("k/a"), "2");
    store.compact(latest);
    assertThat(store.get(key("k/a")).orElseThrow().value()).isEqualTo("2");

    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("k/"), latest, recorder)) {
      assertThat(recorder.await(1)).extracting(WatchEvent::revision).containsExactly(latest);
    }
  }

  // ---- leases -----------------------------------------------------------------------------

  @Test
  void keysOnARevokedLeaseVanishAndWatchersSeeTheDeletes() {
    Lease lease = store.grantLease(Duration.ofSeconds(30));
    store.put(key("l/a"), "1", lease.id());
    store.put(key("l/b"), "2", lease.id());
    store.put(key("l/keep"), "no lease");
    assertThat(store.get(key("l/a")).orElseThrow().leaseId()).isEqualTo(lease.id());

    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(key("l/"), 0, recorder)) {
      store.revokeLease(lease.id());
      List<WatchEvent> events = recorder.await(2);
      assertThat(events).allMatch(e -> e instanceof WatchEvent.Delete);
      assertThat(events)
          .extracting(WatchEvent::key)
          .containsExactlyInAnyOrder(key("l/a"), key("l/b"));
    }
    assertThat(store.get(key("l/a"))).isEmpty();
    assertThat(store.get(key("l/keep"))).isPresent();
    assertThat(store.keepAlive(lease.id())).isFalse();
  }

  @Test
  void aLeaseThatIsNotKeptAliveExpiresWithItsKeys() {
    Lease lease = store.grantLease(shortLeaseTtl());
    store.put(key("e/heartbeat"), "node1", lease.id());
    assertThat(store.get(key("e/heartbeat"))).isPresent();

    await()
        .atMost(shortLeaseTtl().multipliedBy(3).plusSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> store.get(key("e/heartbeat")).isEmpty());
    assertThat(store.keepAlive(lease.id())).isFalse();
  }

  @Test
  void keepAliveHoldsALeaseBeyondItsTtl() throws InterruptedException {
    Duration ttl = shortLeaseTtl();
    Lease lease = store.grantLease(ttl);
    store.put(key("e/alive"), "node1", lease.id());
    long end = System.nanoTime() + ttl.multipliedBy(2).toNanos();
    while (System.nanoTime() < end) {
      assertThat(store.keepAlive(lease.id())).isTrue();
      Thread.sleep(ttl.toMillis() / 4);
    }
    assertThat(store.get(key("e/alive"))).isPresent();
    store.revokeLease(lease.id());
  }

  @Test
  void puttingUnderAnUnknownLeaseFailsAndWritesNothing() {
    Lease lease = store.grantLease(Duration.ofSeconds(30));
    store.revokeLease(lease.id());
    long rev = store.revision();
    assertThatThrownBy(() -> store.put(key("a"), "1", lease.id()))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.code()).isEqualTo(StoreException.Code.LEASE_NOT_FOUND));
    assertThat(store.get(key("a"))).isEmpty();
    assertThat(store.revision()).isEqualTo(rev);
  }

  @Test
  void rewritingAKeyWithoutALeaseDetachesItFromTheLease() {
    Lease lease = store.grantLease(Duration.ofSeconds(30));
    store.put(key("a"), "leased", lease.id());
    store.put(key("a"), "now permanent");
    store.revokeLease(lease.id());
    assertThat(store.get(key("a")).orElseThrow().value()).isEqualTo("now permanent");
  }

  // ---- leader election --------------------------------------------------------------------

  @Test
  void oneCandidateLeadsAndTheNextTakesOverWhenItResigns() {
    String name = key("leader");
    Events one = new Events();
    Events two = new Events();
    try (LeaderElection first = LeaderElection.start(store, name, "node-1", STEADY_LEASE, one)) {
      await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
      try (LeaderElection second = LeaderElection.start(store, name, "node-2", STEADY_LEASE, two)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> store.list(name + "/").entries().size() == 2);
        assertThat(second.isLeader()).isFalse();
        assertThat(LeaderElection.currentLeader(store, name)).contains("node-1");

        first.close();

        await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
        assertThat(LeaderElection.currentLeader(store, name)).contains("node-2");
        assertThat(one.log).containsExactly("elected", "revoked");
        assertThat(two.log).containsExactly("elected");
      }
    }
  }

  @Test
  void whenTheLeadersLeaseEndsAnotherCandidateLeads() {
    String name = key("leader2");
    try (LeaderElection first =
        LeaderElection.start(store, name, "node-1", shortLeaseTtl(), new Events())) {
      await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
      try (LeaderElection second =
          LeaderElection.start(store, name, "node-2", shortLeaseTtl(), new Events())) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> store.list(name + "/").entries().size() == 2);
        // The leader's lease ends behind its back, as when it is partitioned from the store.
        KeyValue leaderKey =
            store.list(name + "/").entries().stream()
                .filter(kv -> kv.value().equals("node-1"))
                .findFirst()
                .orElseThrow();
        store.revokeLease(leaderKey.leaseId());

        await().atMost(Duration.ofSeconds(15)).until(second::isLeader);
        await().atMost(Duration.ofSeconds(15)).until(() -> !first.isLeader());
        assertThat(LeaderElection.currentLeader(store, name)).contains("node-2");
      }
    }
  }

  @Test
  void neverTwoLeadersAtOnceAmongManyCandidates() {
    String name = key("leader3");
    AtomicInteger leaders = new AtomicInteger();
    AtomicInteger maxLeaders = new AtomicInteger();
    List<LeaderElection> elections = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        elections.add(
            LeaderElection.start(
                store,
                name,
                "node-" + i,
                STEADY_LEASE,
                new LeaderElection.Listener() {
                  @Override
                  public void elected(Fence fence) {
                    maxLeaders.accumulateAndGet(leaders.incrementAndGet(), Math::max);
                  }

                  @Override
                  public void revoked() {
                    leaders.decrementAndGet();
                  }
                }));
      }
      for (int round = 0; round < 4; round++) {
        await().atMost(Duration.ofSeconds(10)).until(() -> leaders.get() == 1);
        LeaderElection current =
            elections.stream().filter(LeaderElection::isLeader).findFirst().orElseThrow();
        current.close();
        elections.remove(current);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> leaders.get() == 1);
      assertThat(maxLeaders.get()).isEqualTo(1);
    } finally {
      elections.forEach(LeaderElection::close);
    }
  }

  @Test
  void aLeadersFencedWritesApplyWhileItLeadsAndNotOnceAnotherLeads() {
    String name = key("fenced");
    Events one = new Events();
    Events two = new Events();
    Duration ttl = STEADY_LEASE;
    try (LeaderElection first = LeaderElection.start(store, name, "node-1", ttl, one)) {
      await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
      Fence fence = one.fence;
      assertThat(fence.holds(store)).isTrue();
      Txn write = Txn.always(List.of(new Txn.Put(key("fenced-value"), "by node-1")));
      assertThat(fence.commit(store, write).succeeded()).isTrue();

      try (LeaderElection second = LeaderElection.start(store, name, "node-2", ttl, two)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> store.list(name + "/").entries().size() == 2);
        first.resign();
        await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
        // A resigned leader campaigns again, behind the new one.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> store.list(name + "/").entries().size() == 2);
        assertThat(first.isLeader()).isFalse();

        assertThat(fence.holds(store)).isFalse();
        assertThatThrownBy(
                () ->
                    fence.commit(
                        store,
                        Txn.always(List.of(new Txn.Put(key("fenced-value"), "late node-1")))))
            .isInstanceOfSatisfying(
                StoreException.class,
                e -> assertThat(e.code()).isEqualTo(StoreException.Code.FENCED));
        assertThat(store.get(key("fenced-value")).orElseThrow().value()).isEqualTo("by node-1");
        assertThat(two.fence.holds(store)).isTrue();
        assertThat(one.log).containsExactly("elected", "revoked");
      }
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------

  @Test
  void aClosedStoreRefusesWorkAndEndsItsWatches() {
    WatchRecorder recorder = new WatchRecorder();
    store.watch(key("closing/"), 0, recorder);
    store.close();
    assertThatThrownBy(() -> store.put(key("a"), "1"))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.CLOSED));
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.closedBy() != null);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static final class Events implements LeaderElection.Listener {
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile Fence fence;

    @Override
    public void elected(Fence fence) {
      this.fence = fence;
      log.add("elected");
    }

    @Override
    public void revoked() {
      log.add("revoked");
    }
  }
}
