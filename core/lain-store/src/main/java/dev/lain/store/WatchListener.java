package dev.lain.store;

import java.util.List;

/** Receives a watch's changes. Calls for one watch never overlap. */
public interface WatchListener {

  /**
   * Changes in revision order. A batch always holds every event of each revision it contains: a
   * revision is never split across calls.
   */
  void onEvents(List<WatchEvent> events);

  /**
   * The history from the requested revision is gone; the watch has ended. Re-read the current state
   * with {@link Store#list} and watch again from the listing's revision + 1.
   */
  default void onCompacted(long compactRevision) {}

  /** The watch ended for good (the store was closed or failed beyond recovery). */
  default void onClosed(StoreException cause) {}
}
