package dev.lain.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StoreChangeTest {
  private final Store store = new MemoryStore();

  private static StoreChange create(String key) {
    return StoreChange.of(List.of(new Txn.ModRevisionIs(key, 0)), List.of(new Txn.Put(key, "v")));
  }

  @Test
  void changesAddUpIntoOneRevisionOrNothing() {
    long before = store.revision();
    assertThat(create("/a").plus(create("/b")).commit(store)).isTrue();
    assertThat(store.revision()).isEqualTo(before + 1);
    assertThat(store.get("/a").orElseThrow().modRevision())
        .isEqualTo(store.get("/b").orElseThrow().modRevision());

    // /b exists now: its condition fails, so /c is not written either.
    assertThat(create("/c").plus(create("/b")).commit(store)).isFalse();
    assertThat(store.get("/c")).isEmpty();
  }

  @Test
  void moreThanTheStoreTakesInOneTransactionIsRefusedBeforeAnythingIsWritten() {
    StoreChange huge =
        IntStream.range(0, store.maxTransactionOperations() + 1)
            .mapToObj(i -> create("/k" + i))
            .reduce(StoreChange.NONE, StoreChange::plus);

    assertThatThrownBy(() -> huge.commit(store))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("touches " + (store.maxTransactionOperations() + 1) + " records");
    assertThat(store.list("/k").entries()).isEmpty();
  }
}
