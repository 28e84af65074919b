package dev.lain.store;

/**
 * Opens stores for one URL scheme. Backends outside this module (etcd) register through {@link
 * java.util.ServiceLoader}, so choosing a backend is a matter of the URL alone.
 */
public interface StoreProvider {

  /** The URL scheme handled, without the colon: {@code etcd}. */
  String scheme();

  /** Opens the store at {@code url} (whose scheme is {@link #scheme()}). */
  Store open(String url);
}
