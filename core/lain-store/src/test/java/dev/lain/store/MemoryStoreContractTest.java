package dev.lain.store;

class MemoryStoreContractTest extends StoreContract {
  @Override
  protected Store openStore() {
    return new MemoryStore();
  }
}
