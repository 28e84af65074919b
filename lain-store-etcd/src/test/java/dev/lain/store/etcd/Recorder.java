package dev.lain.store.etcd;

import static org.awaitility.Awaitility.await;

import dev.lain.store.StoreException;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Records what a watch delivers, for the etcd-specific tests. */
final class Recorder implements WatchListener {
  final List<List<WatchEvent>> batches = new CopyOnWriteArrayList<>();
  final AtomicLong compactedAt = new AtomicLong();
  final AtomicReference<StoreException> closed = new AtomicReference<>();

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

  List<WatchEvent> events() {
    return batches.stream().flatMap(List::stream).toList();
  }

  /** Waits until an event of {@code revision} or later has arrived. */
  List<WatchEvent> awaitRevision(long revision, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !events().isEmpty() && events().getLast().revision() >= revision);
    return events();
  }

  /** Each event as {@code "<revision> PUT|DELETE <key>[=<value>]"}, for exact comparisons. */
  List<String> described() {
    return events().stream().map(Recorder::describe).toList();
  }

  static String describe(WatchEvent event) {
    return switch (event) {
      case WatchEvent.Put put ->
          put.revision() + " PUT " + put.key() + "=" + put.kv().value() + " v" + put.kv().version();
      case WatchEvent.Delete delete -> delete.revision() + " DELETE " + delete.key();
    };
  }
}
