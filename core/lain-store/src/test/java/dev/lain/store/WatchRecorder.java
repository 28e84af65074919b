package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/** Records what a watch delivers, for tests of every backend. */
public final class WatchRecorder implements WatchListener {
  private final List<List<WatchEvent>> batches = new CopyOnWriteArrayList<>();
  private final AtomicLong compactedAt = new AtomicLong();
  private final AtomicReference<StoreException> closed = new AtomicReference<>();

  @Override
  public void onEvents(List<WatchEvent> events) {
    batches.add(List.copyOf(events));
  }

  @Override
  public void onCompacted(long compactRevision) {
    compactedAt.set(compactRevision);
  }

  @Override
  public void onClosed(StoreException cause) {
    closed.set(cause);
  }

  /** Each delivery, as delivered. */
  public List<List<WatchEvent>> batches() {
    return batches;
  }

  public List<WatchEvent> events() {
    return batches.stream().flatMap(List::stream).toList();
  }

  /** The compact revision reported, or 0. */
  public long compactedAt() {
    return compactedAt.get();
  }

  /** Why the watch was closed, or null while it runs. */
  public StoreException closedBy() {
    return closed.get();
  }

  /** Waits until at least {@code count} events have arrived. */
  public List<WatchEvent> await(int count) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> events().size() >= count);
    return events();
  }

  /** Waits until an event of {@code revision} or later has arrived. */
  public List<WatchEvent> awaitRevision(long revision, Duration atMost) {
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !events().isEmpty() && events().getLast().revision() >= revision);
    return events();
  }

  /** Checks that nothing more arrives within {@code wait}. */
  public void assertNoMoreWithin(Duration wait) {
    int now = events().size();
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(events()).hasSize(now);
  }

  /**
   * Each event as {@code "<revision> PUT|DELETE <key>[=<value> v<version>]"}, for exact
   * comparisons.
   */
  public List<String> described() {
    return events().stream().map(WatchRecorder::describe).toList();
  }

  public static String describe(WatchEvent event) {
    return switch (event) {
      case WatchEvent.Put put ->
          put.revision() + " PUT " + put.key() + "=" + put.kv().value() + " v" + put.kv().version();
      case WatchEvent.Delete delete -> delete.revision() + " DELETE " + delete.key();
    };
  }
}
