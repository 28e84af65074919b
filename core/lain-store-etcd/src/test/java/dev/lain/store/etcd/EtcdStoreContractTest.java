package dev.lain.store.etcd;

import dev.lain.store.Store;
import dev.lain.store.StoreContract;
import dev.lain.store.Stores;
import dev.lain.testkit.EtcdServer;
import java.time.Duration;

/** The shared store contract against a real etcd, opened by URL as users open it. */
class EtcdStoreContractTest extends StoreContract {

  @Override
  protected Store openStore() {
    return Stores.open(EtcdServer.shared().url());
  }

  /** etcd's smallest lease TTL is about 1.5 s (3/2 of its election timeout); 5 s is safe. */
  @Override
  protected Duration shortLeaseTtl() {
    return Duration.ofSeconds(5);
  }
}
