package dev.lain.bootstrap;

import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the executor reaches the cluster store named by a URL; tests hand out in-memory stores. */
public interface StoreOpener {
  Store open(String url);

  /** Called when a step is done with a store it opened. */
  default void release(Store store) {
    store.close();
  }

  /**
   * {@link Stores#open}, with the embedded store's file taken under {@code root} (its directory
   * made first) and etcd reached as the URL says.
   */
  static StoreOpener under(Path root) {
    return url -> {
      if (!url.startsWith("embedded:")) {
        return Stores.open(url);
      }
      Path file = Layout.under(root, url.substring("embedded:".length()));
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Stores.open("embedded:" + file);
    };
  }
}
