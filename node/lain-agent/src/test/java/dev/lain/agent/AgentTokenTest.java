package dev.lain.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.records.nodes.AgentToken;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AgentTokenTest {
  @Test
  void theFirstToAskCreatesThirtyTwoRandomBytesInHexAndLaterOnesReadThem() {
    try (Store store = new MemoryStore()) {
      String token = AgentToken.getOrCreate(store);

      assertThat(token).matches("[0-9a-f]{64}");
      assertThat(store.get(AgentToken.KEY).orElseThrow().value()).isEqualTo(token);
      assertThat(AgentToken.getOrCreate(store)).isEqualTo(token);
    }
  }

  @Test
  void processesRacingToCreateItAllEndUpWithTheSameToken() throws Exception {
    try (Store store = new MemoryStore();
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<String>> tokens = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        tokens.add(pool.submit(() -> AgentToken.getOrCreate(store)));
      }
      Set<String> distinct =
          tokens.stream()
              .map(
                  f -> {
                    try {
                      return f.get();
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                  })
              .collect(Collectors.toSet());

      assertThat(distinct).hasSize(1).containsExactly(store.get(AgentToken.KEY).get().value());
    }
  }

  @Test
  void aMalformedTokenInTheStoreIsReplaced() {
    try (Store store = new MemoryStore()) {
      store.put(AgentToken.KEY, "secret");

      assertThat(AgentToken.getOrCreate(store)).matches("[0-9a-f]{64}");
    }
  }

  @Test
  void tokensMatchOnlyWhenEqual() {
    String token = "ab".repeat(32);

    assertThat(AgentToken.matches(token, token)).isTrue();
    assertThat(AgentToken.matches(token, "ab".repeat(31) + "ac")).isFalse();
    assertThat(AgentToken.matches(token, "")).isFalse();
    assertThat(AgentToken.matches(token, null)).isFalse();
  }
}
