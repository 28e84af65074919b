package dev.lain.bootstrap;

import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a store through {@link Stores#open}: the embedded file only when it exists under the
 * probe's root (opening creates it otherwise), etcd through whatever backend is on the class path.
 */
final class UrlStoreReader implements StoreReader {
  private static final String CONFIG = "/lain/config/";
  private static final String NODES = "/lain/nodes/nodes/";
  private static final String CERTS = "/lain/webrouter/certs/";
  private static final String ADMIN = "/lain/console/users/admin";

  private final Path root;

  UrlStoreReader(Path root) {
    this.root = root;
  }

  @Override
  public Optional<Facts.StoreContents> read(String url) {
    String opened = url;
    if (url.startsWith("embedded:")) {
      Path file = root.resolve(url.substring("embedded:".length()).replaceFirst("^/+", ""));
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      opened = "embedded:" + file;
    }
    try (Store store = Stores.open(opened)) {
      Map<String, String> config = new HashMap<>();
      for (KeyValue kv : store.list(CONFIG).entries()) {
        config.put(kv.key().substring(CONFIG.length()), kv.value());
      }
      List<String> nodes =
          store.list(NODES).entries().stream()
              .map(kv -> kv.key().substring(NODES.length()))
              .toList();
      Set<String> certs = new HashSet<>();
      for (KeyValue kv : store.list(CERTS).entries()) {
        certs.add(kv.key().substring(CERTS.length()).split("/", 2)[0]);
      }
      return Optional.of(
          new Facts.StoreContents(config, nodes, certs, store.get(ADMIN).isPresent()));
    } catch (RuntimeException e) {
      // An unreadable store reads as none; the first-node check then cannot refuse, but laind
      // would fail on it the same way, before anything is written.
      return Optional.empty();
    }
  }
}
