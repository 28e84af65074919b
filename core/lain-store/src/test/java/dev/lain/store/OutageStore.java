package dev.lain.store;

import java.time.Duration;
import java.util.Optional;

/** A store that can be made unreachable: while down, every call fails as a lost etcd would. */
final class OutageStore implements Store {
  private final Store store;
  private volatile boolean down;

  OutageStore(Store store) {
    this.store = store;
  }

  void down(boolean down) {
    this.down = down;
  }

  private void check() {
    if (down) {
      throw new StoreException(StoreException.Code.UNAVAILABLE, "the store is away (test)");
    }
  }

  @Override
  public String backend() {
    return store.backend();
  }

  @Override
  public long revision() {
    check();
    return store.revision();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    check();
    return store.get(key);
  }

  @Override
  public Listing list(String prefix) {
    check();
    return store.list(prefix);
  }

  @Override
  public long put(String key, String value, long leaseId) {
    check();
    return store.put(key, value, leaseId);
  }

  @Override
  public boolean delete(String key) {
    check();
    return store.delete(key);
  }

  @Override
  public int deletePrefix(String prefix) {
    check();
    return store.deletePrefix(prefix);
  }

  @Override
  public TxnResult commit(Txn txn) {
    check();
    return store.commit(txn);
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    check();
    return store.watch(prefix, fromRevision, listener);
  }

  @Override
  public Lease grantLease(Duration ttl) {
    check();
    return store.grantLease(ttl);
  }

  @Override
  public boolean keepAlive(long leaseId) {
    check();
    return store.keepAlive(leaseId);
  }

  @Override
  public void revokeLease(long leaseId) {
    check();
    store.revokeLease(leaseId);
  }

  @Override
  public void compact(long revision) {
    check();
    store.compact(revision);
  }

  @Override
  public void close() {
    store.close();
  }
}
