package dev.lain.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A leader's proof of leadership that its writes are conditional on: its candidacy key in a {@link
 * LeaderElection} at the revision it was written. The key is written once per campaign and vanishes
 * with the candidate's lease, so while it is there at that revision no other candidate leads. A
 * leader that was paused past its lease (a stopped process, a long GC) and resumes finds its writes
 * refused instead of applied over its successor's.
 */
public record Fence(String key, long modRevision) {
  public Fence {
    Keys.check(key);
    if (modRevision < 1) {
      throw new IllegalArgumentException("a fence is a written key: revision " + modRevision);
    }
  }

  /**
   * A fence for a writer that holds the store alone (a test, a benchmark): {@code key} is written
   * now, without an election; deleting it fences the writer out.
   */
  public static Fence take(Store store, String key, String owner) {
    return new Fence(key, store.put(key, owner));
  }

  /** The condition every fenced write carries. */
  public Txn.Condition condition() {
    return new Txn.ModRevisionIs(key, modRevision);
  }

  /** Whether the leadership still holds. */
  public boolean holds(Store store) {
    return store.get(key).map(kv -> kv.modRevision() == modRevision).orElse(false);
  }

  /**
   * Commits {@code txn} only while the fence holds. A result that did not succeed means one of the
   * transaction's own conditions failed.
   *
   * @throws StoreException {@link StoreException.Code#FENCED} if the fence no longer holds (nothing
   *     was written)
   */
  public TxnResult commit(Store store, Txn txn) {
    List<Txn.Condition> conditions = new ArrayList<>(txn.conditions());
    conditions.add(condition());
    TxnResult result = store.commit(new Txn(conditions, txn.operations()));
    if (!result.succeeded() && !holds(store)) {
      throw fencedOut();
    }
    return result;
  }

  /** The refusal of a write made after the leadership ended. */
  public StoreException fencedOut() {
    return new StoreException(
        StoreException.Code.FENCED,
        "this leader's candidacy " + key + " is gone: another one leads, nothing was written");
  }

  @Override
  public String toString() {
    return "fence " + Objects.requireNonNull(key) + "@" + modRevision;
  }
}
