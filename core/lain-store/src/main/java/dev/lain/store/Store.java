package dev.lain.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cluster state store: a revisioned key-value map with watches and leases, in the shape of etcd
 * v3. Every backend (in-memory, embedded, etcd) passes the same contract suite.
 *
 * <p>Revisions: every successful write (put, delete that removed something, or transaction with at
 * least one effective operation) creates exactly one new store revision, greater than all before
 * it. All events of one write carry that revision and are delivered to watchers together.
 *
 * <p>Keys are non-empty strings starting with {@code /}; values are UTF-8 strings.
 */
public interface Store extends AutoCloseable {

  /**
   * The backend's name for messages and metrics: {@code memory}, {@code embedded} or {@code etcd}.
   */
  String backend();

  /**
   * The store's members and how each is doing: every etcd member (one that cannot be asked has a
   * {@link StoreMember#problem}), or this process's single store.
   */
  default List<StoreMember> members() {
    return List.of(
        new StoreMember(
            backend(), "this process", true, false, OptionalLong.of(revision()), Optional.empty()));
  }

  /** How to change the store's members, on a backend that has several (etcd). */
  default Optional<Membership> membership() {
    return Optional.empty();
  }

  /** The current revision: the revision of the newest write, or of the empty store. */
  long revision();

  Optional<KeyValue> get(String key);

  /** Every live key starting with {@code prefix}, sorted by key, read at one revision. */
  Listing list(String prefix);

  /** Stores {@code value} under {@code key} and returns the revision of the write. */
  default long put(String key, String value) {
    return put(key, value, Lease.NONE);
  }

  /**
   * Stores {@code value} under {@code key}, attached to a lease: the key is deleted when the lease
   * expires or is revoked. {@link Lease#NONE} attaches none.
   *
   * @throws StoreException with {@link StoreException.Code#LEASE_NOT_FOUND} if the lease is gone
   */
  long put(String key, String value, long leaseId);

  /** Deletes {@code key}; returns whether it existed. */
  boolean delete(String key);

  /** Deletes every key starting with {@code prefix} in one revision; returns how many. */
  int deletePrefix(String prefix);

  /**
   * Applies all operations of {@code txn} atomically in one revision when every condition holds,
   * and nothing otherwise.
   */
  TxnResult commit(Txn txn);

  /**
   * The most operations one transaction may hold on this backend (etcd refuses more than its {@code
   * --max-txn-ops}, 128 by default). Larger batches are split by the caller.
   */
  default int maxTransactionOperations() {
    return 10_000;
  }

  /**
   * Writes {@code value} only if {@code key}'s current mod revision is {@code expectedModRevision}
   * ({@code 0}: only if the key does not exist).
   */
  default boolean compareAndSet(String key, long expectedModRevision, String value) {
    return commit(
            Txn.when(List.of(new Txn.ModRevisionIs(key, expectedModRevision)))
                .then(List.of(new Txn.Put(key, value, Lease.NONE))))
        .succeeded();
  }

  /** Deletes {@code key} only if its current mod revision is {@code expectedModRevision}. */
  default boolean compareAndDelete(String key, long expectedModRevision) {
    if (expectedModRevision <= 0) {
      throw new IllegalArgumentException("compareAndDelete needs the revision of an existing key");
    }
    return commit(
            Txn.when(List.of(new Txn.ModRevisionIs(key, expectedModRevision)))
                .then(List.of(new Txn.Delete(key))))
        .succeeded();
  }

  /**
   * Watches every key starting with {@code prefix} and calls {@code listener} with each change
   * whose revision is at least {@code fromRevision} ({@code 0}: changes after the current
   * revision), in revision order, without gaps or duplicates, on one thread per watch. A backend
   * that loses its connection resumes the watch where it stopped; when the history needed has been
   * compacted away the listener gets {@link WatchListener#onCompacted} and the watch ends.
   */
  Watch watch(String prefix, long fromRevision, WatchListener listener);

  /** Grants a lease that expires {@code ttl} after its grant or last keep-alive. */
  Lease grantLease(Duration ttl);

  /** Refreshes a lease's TTL; returns false if it has already expired or was revoked. */
  boolean keepAlive(long leaseId);

  /** Revokes a lease, deleting every key attached to it. Revoking an unknown lease is a no-op. */
  void revokeLease(long leaseId);

  /**
   * Discards the history before {@code revision}: watches from an older revision then get {@link
   * WatchListener#onCompacted}. Current values are kept.
   */
  void compact(long revision);

  /** Releases the backend's resources; ends every watch. */
  @Override
  void close();
}
