package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoresTest {
  @TempDir Path dir;

  @Test
  void theFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
    assertThat(Stores.chooseUrl("memory:", "etcd://127.0.0.1:2379")).isEqualTo("memory:");
    assertThat(Stores.chooseUrl(null, "etcd://127.0.0.1:2379")).isEqualTo("etcd://127.0.0.1:2379");
    assertThat(Stores.chooseUrl("", " ")).isEqualTo(Stores.DEFAULT_URL);
    assertThat(Stores.DEFAULT_URL).startsWith("embedded:");
  }

  @Test
  void memoryAndEmbeddedUrlsOpenTheirBackends() {
    try (Store memory = Stores.open("memory:");
        Store embedded = Stores.open("embedded:" + dir.resolve("s.db"))) {
      assertThat(memory.backend()).isEqualTo("memory");
      assertThat(embedded.backend()).isEqualTo("embedded");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "nonsense", "memory:/x", "embedded:", "zookeeper://127.0.0.1:2181", ":x"})
  void malformedOrUnknownUrlsAreRejectedWithTheUrlInTheMessage(String url) {
    assertThatThrownBy(() -> Stores.open(url))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.code()).isEqualTo(StoreException.Code.INVALID_URL));
  }
}
