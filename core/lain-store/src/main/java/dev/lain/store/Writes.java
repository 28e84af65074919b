package dev.lain.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The write rules shared by the log-structured backends (memory and embedded), matching etcd: one
 * revision per effective write, versions counted since creation, no revision for writes that change
 * nothing, leases checked before anything is applied.
 */
final class Writes {
  private Writes() {}

  static TxnResult commit(MutableState state, Txn txn) {
    for (Txn.Condition condition : txn.conditions()) {
      if (!holds(state, condition)) {
        return new TxnResult(false, state.revision());
      }
    }
    for (Txn.Operation op : txn.operations()) {
      if (op instanceof Txn.Put put
          && put.leaseId() != Lease.NONE
          && !state.leaseExists(put.leaseId())) {
        throw new StoreException(
            StoreException.Code.LEASE_NOT_FOUND,
            "lease " + Long.toHexString(put.leaseId()) + " not found (expired or revoked)");
      }
    }
    long revision = state.revision() + 1;
    // Txn guarantees each key appears once; events keep the order of the operations.
    Map<String, Optional<KeyValue>> pending = new LinkedHashMap<>();
    List<WatchEvent> events = new ArrayList<>();
    for (Txn.Operation op : txn.operations()) {
      Optional<KeyValue> before = state.current(op.key());
      switch (op) {
        case Txn.Put put -> {
          KeyValue kv =
              before
                  .map(
                      old ->
                          new KeyValue(
                              put.key(),
                              put.value(),
                              old.createRevision(),
                              revision,
                              old.version() + 1,
                              put.leaseId()))
                  .orElseGet(
                      () ->
                          new KeyValue(
                              put.key(), put.value(), revision, revision, 1, put.leaseId()));
          pending.put(put.key(), Optional.of(kv));
          events.add(new WatchEvent.Put(kv));
        }
        case Txn.Delete delete -> {
          if (before.isPresent()) {
            pending.put(delete.key(), Optional.empty());
            events.add(new WatchEvent.Delete(delete.key(), revision));
          }
        }
      }
    }
    if (events.isEmpty()) {
      return new TxnResult(true, state.revision());
    }
    apply(state, revision, pending, events);
    return new TxnResult(true, revision);
  }

  static int deletePrefix(MutableState state, String prefix) {
    List<KeyValue> doomed = state.currentUnder(prefix);
    deleteAll(state, doomed.stream().map(KeyValue::key).toList());
    return doomed.size();
  }

  /** Deletes the keys of a lease that ended, and the lease, in one revision. */
  static void endLease(MutableState state, long leaseId) {
    deleteAll(state, state.keysOfLease(leaseId));
    state.dropLease(leaseId);
  }

  private static void deleteAll(MutableState state, List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    long revision = state.revision() + 1;
    Map<String, Optional<KeyValue>> pending = new LinkedHashMap<>();
    List<WatchEvent> events = new ArrayList<>();
    for (String key : keys) {
      pending.put(key, Optional.empty());
      events.add(new WatchEvent.Delete(key, revision));
    }
    apply(state, revision, pending, events);
  }

  private static void apply(
      MutableState state,
      long revision,
      Map<String, Optional<KeyValue>> pending,
      List<WatchEvent> events) {
    pending.forEach(
        (key, kv) -> {
          if (kv.isPresent()) {
            state.write(kv.get());
          } else {
            state.remove(key);
          }
        });
    state.append(revision, events);
  }

  private static boolean holds(MutableState state, Txn.Condition condition) {
    Optional<KeyValue> current = state.current(condition.key());
    return switch (condition) {
      case Txn.ModRevisionIs is ->
          current.map(KeyValue::modRevision).orElse(0L) == is.modRevision();
      case Txn.ValueIs is -> current.map(kv -> kv.value().equals(is.value())).orElse(false);
    };
  }
}
