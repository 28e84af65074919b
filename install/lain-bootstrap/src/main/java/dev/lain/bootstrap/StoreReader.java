package dev.lain.bootstrap;

import java.util.Optional;

/** Reads what bootstrap needs to know from an existing cluster store. */
@FunctionalInterface
public interface StoreReader {
  /** What the store at {@code url} holds, or empty if there is none or it cannot be read. */
  Optional<Facts.StoreContents> read(String url);

  /** For machines and tests where no store is to be read. */
  StoreReader NONE = url -> Optional.empty();
}
