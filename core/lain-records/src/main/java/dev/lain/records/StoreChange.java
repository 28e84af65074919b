package dev.lain.records;

import dev.lain.records.deployd.PodGroups;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes to records planned but not made yet: what must still hold (each record as it was read) and
 * what to write. Changes of several records add up into one, which commits as a single store
 * transaction: an operation that touches pod groups, the app record, its history and the audit log
 * lands whole or not at all, whenever the process making it dies.
 */
public record StoreChange(List<Txn.Condition> conditions, List<Txn.Operation> operations) {
  public static final StoreChange NONE = new StoreChange(List.of(), List.of());

  public StoreChange {
    conditions = List.copyOf(conditions);
    operations = List.copyOf(operations);
  }

  public static StoreChange of(List<Txn.Condition> conditions, List<Txn.Operation> operations) {
    return new StoreChange(conditions, operations);
  }

  public StoreChange plus(StoreChange other) {
    List<Txn.Condition> c = new ArrayList<>(conditions);
    c.addAll(other.conditions);
    List<Txn.Operation> o = new ArrayList<>(operations);
    o.addAll(other.operations);
    return new StoreChange(c, o);
  }

  public Txn txn() {
    return Txn.when(conditions).then(operations);
  }

  /**
   * Commits the change; false (and nothing written) if a record changed since it was read.
   *
   * @throws RecordException {@code INVALID} when it is more than the store takes in one
   *     transaction, {@code UNAVAILABLE} when the store cannot be reached
   */
  public boolean commit(Store store) {
    int size = Math.max(conditions.size(), operations.size());
    if (size > store.maxTransactionOperations()) {
      throw RecordException.invalid(
          "this change touches "
              + size
              + " records at once; the store takes at most "
              + store.maxTransactionOperations()
              + " in one transaction (an app with fewer procs would fit)");
    }
    return PodGroups.read(() -> store.commit(txn()).succeeded());
  }
}
