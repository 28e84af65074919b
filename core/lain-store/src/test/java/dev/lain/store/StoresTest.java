package dev.lain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoresTest {
  @TempDir Path dir;

  @Test
  void theFlagWinsOverTheEnvironmentWhichWinsOverTheNodeFileWhichWinsOverTheDefault()
      throws IOException {
    Path nodeFile = dir.resolve("store");
    Files.writeString(nodeFile, "# written by ./bootstrap\n\n  etcd://192.168.77.21:2379  \n");
    Path absent = dir.resolve("absent");
    assertThat(Stores.choose("memory:", "etcd://127.0.0.1:2379", nodeFile))
        .isEqualTo(new Stores.Choice("memory:", "flag --store"));
    assertThat(Stores.choose(null, "etcd://127.0.0.1:2379", nodeFile))
        .isEqualTo(new Stores.Choice("etcd://127.0.0.1:2379", "env LAIN_STORE"));
    assertThat(Stores.choose(" ", null, nodeFile))
        .isEqualTo(new Stores.Choice("etcd://192.168.77.21:2379", nodeFile.toString()));
    assertThat(Stores.choose("", " ", absent))
        .isEqualTo(new Stores.Choice(Stores.DEFAULT_URL, "default"));
    Files.writeString(nodeFile, "# nothing but a comment\n");
    assertThat(Stores.choose(null, null, nodeFile).url()).isEqualTo(Stores.DEFAULT_URL);
    assertThat(Stores.DEFAULT_URL).startsWith("embedded:");
  }

  @Test
  void embeddedFileIsTheFileOfAnEmbeddedUrlOnly() {
    assertThat(Stores.embeddedFile("embedded:/var/lib/lain/store.db"))
        .contains(Path.of("/var/lib/lain/store.db"));
    assertThat(Stores.embeddedFile("etcd://127.0.0.1:2379")).isEmpty();
    assertThat(Stores.embeddedFile("memory:")).isEmpty();
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
