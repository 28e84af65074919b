package dev.lain.bootstrap;

import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a store through {@link Stores#open}: the embedded file only when it exists under the
 * probe's root (opening creates it otherwise), etcd through whatever backend is on the class path.
 */
final class UrlStoreReader implements StoreReader {
  private final Path root;
  private final InstantSource clock;

  UrlStoreReader(Path root, InstantSource clock) {
    this.root = Objects.requireNonNull(root, "root");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Optional<Facts.StoreContents> read(String url) {
    String opened = url;
    if (url.startsWith("embedded:")) {
      Path file = Layout.under(root, url.substring("embedded:".length()));
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      opened = "embedded:" + file;
    }
    try (Store store = Stores.open(opened)) {
      return Optional.of(StoreReader.contents(store, clock.instant()));
    } catch (RuntimeException e) {
      // An unreadable store reads as none; the first-node check then cannot refuse, but laind
      // would fail on it the same way, before anything is written.
      return Optional.empty();
    }
  }
}
