package dev.lain.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lain.store.Lease;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Stores;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchRecorder;
import dev.lain.testkit.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the etcd backend does beyond the shared contract: interoperate with other etcd clients. */
@SuppressWarnings("try")
class EtcdStoreTest {
  private EtcdServer etcd;
  private Store store;
  private String root;

  @BeforeEach
  void open() {
    etcd = EtcdServer.shared();
    store = Stores.open(etcd.url());
    root = "/etcd-test-" + UUID.randomUUID() + "/";
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theUrlSchemeSelectsTheEtcdBackend() {
    assertThat(store.backend()).isEqualTo("etcd");
    assertThat(store).isInstanceOf(EtcdStore.class);
  }

  @Test
  void etcdctlPrintsExactlyTheValueThatWasPut() {
    String key = root + "config/extra_domains";
    String value = "[\"lain.example.com\", \"grüße.example\"]";
    store.put(key, value);

    assertThat(etcd.etcdctl("get", key, "--print-value-only")).isEqualTo(value + "\n");
    assertThat(etcd.etcdctl("get", root, "--prefix", "--keys-only").strip()).isEqualTo(key);
  }

  @Test
  void aValuePutWithEtcdctlIsSeenByGetAndByAWatch() {
    String key = root + "from-etcdctl";
    WatchRecorder recorder = new WatchRecorder();
    try (Watch ignored = store.watch(root, 0, recorder)) {
      etcd.etcdctl("put", key, "{\"written\": \"by etcdctl\", \"ü\": 1}");

      assertThat(store.get(key).orElseThrow().value())
          .isEqualTo("{\"written\": \"by etcdctl\", \"ü\": 1}");
      long revision = store.get(key).orElseThrow().modRevision();
      List<WatchEvent> events = recorder.awaitRevision(revision, Duration.ofSeconds(10));
      assertThat(events).hasSize(1);
      assertThat(((WatchEvent.Put) events.getFirst()).kv().value())
          .isEqualTo("{\"written\": \"by etcdctl\", \"ü\": 1}");

      etcd.etcdctl("del", key);
      recorder.awaitRevision(revision + 1, Duration.ofSeconds(10));
      assertThat(recorder.events().getLast()).isEqualTo(new WatchEvent.Delete(key, revision + 1));
    }
  }

  @Test
  void leasesAreEtcdLeases() {
    Lease lease = store.grantLease(Duration.ofSeconds(30));
    store.put(root + "leased", "x", lease.id());

    String ttl = etcd.etcdctl("lease", "timetolive", Long.toHexString(lease.id()), "--keys");
    assertThat(ttl).contains(root + "leased");

    store.revokeLease(lease.id());
    assertThat(etcd.etcdctl("get", root + "leased")).isEmpty();
  }

  @Test
  void leaseTtlsAreRoundedUpToWholeSeconds() {
    Lease lease = store.grantLease(Duration.ofMillis(5_200));
    try {
      assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(6));
    } finally {
      store.revokeLease(lease.id());
    }
  }

  @Test
  void keepAliveAndRevokeOfUnknownLeasesAreHarmless() {
    assertThat(store.keepAlive(0x7eadbeefL)).isFalse();
    store.revokeLease(0x7eadbeefL);
    assertThat(store.keepAlive(Lease.NONE)).isFalse();
  }

  @Test
  void compactingToTheFutureIsRefusedAndCompactingTwiceIsHarmless() {
    long rev = store.put(root + "a", "1");
    assertThatThrownBy(() -> store.compact(rev + 1_000_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("future revision");
    store.compact(rev);
    store.compact(rev);
    store.compact(rev - 1);
  }

  @Test
  void closingTheStoreIsPromptAndEndsItsWatches() {
    WatchRecorder recorder = new WatchRecorder();
    store.watch(root, 0, recorder);
    long start = System.nanoTime();
    store.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.closedBy() != null);
    assertThat(recorder.closedBy().code()).isEqualTo(StoreException.Code.CLOSED);
    assertThatThrownBy(store::revision)
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.CLOSED));
  }
}
