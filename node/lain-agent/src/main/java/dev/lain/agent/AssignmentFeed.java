package dev.lain.agent;

import dev.lain.model.deploy.Assignment;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.store.KeyValue;
import dev.lain.store.Listing;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's assignments, kept current by a watch: read in full when the watch (re)starts and
 * every {@link #FULL_READ_EVERY} as a safety net, changed by the watch's events in between.
 */
final class AssignmentFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AssignmentFeed.class);

  /** A safety net under the watch: re-read every assignment this often. */
  static final Duration FULL_READ_EVERY = Duration.ofSeconds(30);

  private final Store store;
  private final String node;
  private final Runnable onChange;
  private final Map<String, Assignment> assigned = new ConcurrentHashMap<>();
  private final AtomicBoolean rewatch = new AtomicBoolean(true);
  private Instant lastFullRead;
  private Watch watch;

  /**
   * @param onChange told when an assignment changed (from the watch's thread)
   */
  AssignmentFeed(Store store, String node, Runnable onChange) {
    this.store = store;
    this.node = node;
    this.onChange = onChange;
  }

  /** The node's assignments in instance order, following the watch from where it stands. */
  List<Assignment> current(Instant now) {
    boolean stale = lastFullRead == null || !now.isBefore(lastFullRead.plus(FULL_READ_EVERY));
    if (rewatch.getAndSet(false) || stale) {
      readAll(now);
    }
    return assigned.values().stream().sorted(Comparator.comparing(Assignment::id)).toList();
  }

  private void readAll(Instant now) {
    if (watch != null) {
      watch.close();
    }
    Listing listing = store.list(DeploydKeys.assignmentsOf(node));
    Map<String, Assignment> fresh = new HashMap<>();
    for (KeyValue kv : listing.entries()) {
      read(kv.key(), kv.value()).ifPresent(a -> fresh.put(kv.key(), a));
    }
    assigned.clear();
    assigned.putAll(fresh);
    lastFullRead = now;
    watch =
        store.watch(
            DeploydKeys.assignmentsOf(node),
            listing.revision() + 1,
            new WatchListener() {
              @Override
              public void onEvents(List<WatchEvent> events) {
                for (WatchEvent event : events) {
                  switch (event) {
                    case WatchEvent.Put put ->
                        read(put.key(), put.kv().value())
                            .ifPresentOrElse(
                                a -> assigned.put(put.key(), a), () -> assigned.remove(put.key()));
                    case WatchEvent.Delete delete -> assigned.remove(delete.key());
                  }
                }
                onChange.run();
              }

              @Override
              public void onCompacted(long compactRevision) {
                rewatch.set(true);
                onChange.run();
              }

              @Override
              public void onClosed(StoreException cause) {
                rewatch.set(true);
              }
            });
  }

  private Optional<Assignment> read(String key, String value) {
    try {
      return Optional.of(DeploydJson.read(value, Assignment.class));
    } catch (IllegalArgumentException e) {
      log.warn("agent {}: ignoring unreadable assignment {}: {}", node, key, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
