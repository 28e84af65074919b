package dev.lain.store;

import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a lease alive (every third of its TTL) until closed. If the lease is found gone, or the
 * store could not be reached for two thirds of the TTL (so the lease may expire before we can
 * tell), {@code onLost} runs once and the keeper stops: whoever holds the lease must assume its
 * keys are gone.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final Store store;
  private final Lease lease;
  private final Runnable onLost;
  private final InstantSource clock;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean lost;
  private volatile boolean confirmed;

  private LeaseKeeper(Store store, Lease lease, Runnable onLost, InstantSource clock) {
    this.store = store;
    this.lease = lease;
    this.onLost = onLost;
    this.clock = clock;
    this.thread =
        Thread.ofVirtual()
            .name("lease-keeper-" + Long.toHexString(lease.id()))
            .unstarted(this::run);
  }

  public static LeaseKeeper start(Store store, Lease lease, Runnable onLost) {
    LeaseKeeper keeper = new LeaseKeeper(store, lease, onLost, InstantSource.system());
    keeper.thread.start();
    return keeper;
  }

  public Lease lease() {
    return lease;
  }

  /** False once the lease is known or presumed lost. */
  public boolean alive() {
    return !lost;
  }

  /**
   * Whether the store said the lease is gone; false when it was only presumed lost because the
   * store could not be reached, and may have outlived the store's absence.
   */
  public boolean confirmedGone() {
    return confirmed;
  }

  private void run() {
    long ttlMillis = lease.ttl().toMillis();
    Duration interval = Duration.ofMillis(Math.max(50, ttlMillis / 3));
    long lastSuccess = clock.millis();
    while (!closed) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      try {
        if (store.keepAlive(lease.id())) {
          lastSuccess = clock.millis();
          continue;
        }
        log.warn("lease {} expired", Long.toHexString(lease.id()));
        confirmed = true;
      } catch (StoreException e) {
        if (clock.millis() - lastSuccess < ttlMillis * 2 / 3) {
          log.warn(
              "lease {} keep-alive failed, retrying: {}",
              Long.toHexString(lease.id()),
              e.getMessage());
          continue;
        }
        log.warn(
            "lease {} presumed lost: no keep-alive for {} ms",
            Long.toHexString(lease.id()),
            clock.millis() - lastSuccess);
      }
      lost = true;
      if (!closed) {
        onLost.run();
      }
      return;
    }
  }

  /** Stops keeping the lease alive (it then expires after its TTL unless revoked). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
