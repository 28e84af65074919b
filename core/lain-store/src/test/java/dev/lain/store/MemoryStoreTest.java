package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What only the in-memory backend promises: lease expiry driven by an injected clock. */
class MemoryStoreTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = () -> now.get();

  @Test
  void leasesExpireExactlyWhenTheClockPassesTheirTtl() {
    try (MemoryStore store = new MemoryStore(clock, Duration.ZERO)) {
      Lease lease = store.grantLease(Duration.ofSeconds(10));
      store.put("/nodes/n1", "alive", lease.id());

      now.set(now.get().plusSeconds(9));
      store.expireLeases();
      assertThat(store.get("/nodes/n1")).isPresent();

      assertThat(store.keepAlive(lease.id())).isTrue();
      now.set(now.get().plusSeconds(9));
      store.expireLeases();
      assertThat(store.get("/nodes/n1")).isPresent();

      now.set(now.get().plusSeconds(1));
      store.expireLeases();
      assertThat(store.get("/nodes/n1")).isEmpty();
      assertThat(store.keepAlive(lease.id())).isFalse();
    }
  }
}
