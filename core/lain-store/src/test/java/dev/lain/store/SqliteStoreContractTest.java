package dev.lain.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends StoreContract {
  @TempDir Path dir;

  @Override
  protected Store openStore() {
    return Stores.open("embedded:" + dir.resolve("store.db"));
  }
}
