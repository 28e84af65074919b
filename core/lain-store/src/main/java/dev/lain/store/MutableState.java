package dev.lain.store;

import java.util.List;
import java.util.Optional;

/**
 * The current-state side of a log-structured backend, as seen inside one write transaction. {@link
 * Writes} holds the rules (revisions, versions, leases, events); backends only store.
 */
interface MutableState {
  long revision();

  Optional<KeyValue> current(String key);

  List<KeyValue> currentUnder(String prefix);

  boolean leaseExists(long leaseId);

  List<String> keysOfLease(long leaseId);

  /** Stores {@code kv} as the key's current state. */
  void write(KeyValue kv);

  /** Removes {@code key} from the current state. */
  void remove(String key);

  void dropLease(long leaseId);

  /** Records the events of {@code revision} in the history and makes it the current revision. */
  void append(long revision, List<WatchEvent> events);
}
