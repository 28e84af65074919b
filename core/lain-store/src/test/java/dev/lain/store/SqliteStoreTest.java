package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded backend promises: persistence, and sharing one file between processes. */
class SqliteStoreTest {
  @TempDir Path dir;

  @Test
  void dataAndRevisionsSurviveReopening() {
    Path file = dir.resolve("store.db");
    long rev;
    try (Store store = SqliteStore.open(file)) {
      store.put("/lain/config/domain", "lain.local");
      rev = store.put("/lain/config/extra_domains", "[\"example.com\"]");
    }
    try (Store store = SqliteStore.open(file)) {
      assertThat(store.revision()).isEqualTo(rev);
      assertThat(store.get("/lain/config/extra_domains").orElseThrow().value())
          .isEqualTo("[\"example.com\"]");
      assertThat(store.put("/lain/config/domain", "other.local")).isEqualTo(rev + 1);
    }
  }

  @Test
  void aWatchSeesWritesMadeThroughAnotherConnectionToTheSameFile() {
    Path file = dir.resolve("shared.db");
    List<WatchEvent> seen = new CopyOnWriteArrayList<>();
    try (Store daemon = SqliteStore.open(file);
        Store cli = SqliteStore.open(file)) {
      daemon.watch("/lain/config/", 0, seen::addAll);
      long first = cli.put("/lain/config/domain", "a.example");
      long second = daemon.put("/lain/config/domain", "b.example");

      assertThat(second).isEqualTo(first + 1);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
      assertThat(seen).extracting(WatchEvent::revision).containsExactly(first, second);
    }
  }

  @Test
  void aLeaseKeptAliveByOneConnectionIsNotExpiredByAnother() throws InterruptedException {
    Path file = dir.resolve("leases.db");
    try (Store agent = SqliteStore.open(file);
        Store other = SqliteStore.open(file)) {
      Lease lease = agent.grantLease(Duration.ofMillis(600));
      agent.put("/lain/nodes/n1", "up", lease.id());
      for (int i = 0; i < 8; i++) {
        Thread.sleep(150);
        assertThat(agent.keepAlive(lease.id())).isTrue();
      }
      assertThat(other.get("/lain/nodes/n1")).isPresent();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> other.get("/lain/nodes/n1").isEmpty());
    }
  }

  @Test
  void anUnwritableLocationIsReportedClearly() throws Exception {
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "file where a directory should be");
    assertThatThrownBy(() -> SqliteStore.open(blocker.resolve("store.db")))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.code()).isEqualTo(StoreException.Code.STORAGE);
              assertThat(e.getMessage()).contains(blocker.toString());
            });
  }
}
