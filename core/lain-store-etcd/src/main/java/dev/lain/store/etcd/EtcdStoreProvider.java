package dev.lain.store.etcd;

import dev.lain.store.Store;
import dev.lain.store.StoreProvider;

/** Opens {@code etcd://host:port[,host:port...]} stores for {@link dev.lain.store.Stores}. */
public final class EtcdStoreProvider implements StoreProvider {

  @Override
  public String scheme() {
    return EtcdEndpoints.SCHEME;
  }

  @Override
  public Store open(String url) {
    return EtcdStore.open(url);
  }
}
