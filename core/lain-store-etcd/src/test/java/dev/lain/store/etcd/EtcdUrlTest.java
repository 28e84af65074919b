package dev.lain.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.Stores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Store URLs, and what happens when no etcd answers. None of these tests needs an etcd. */
class EtcdUrlTest {

  @Test
  void oneOrMoreEndpointsBecomeHttpClientUrls() {
    assertThat(EtcdEndpoints.parse("etcd://127.0.0.1:2379,127.0.0.1:22379").clientUrls())
        .containsExactly("http://127.0.0.1:2379", "http://127.0.0.1:22379");
    assertThat(EtcdEndpoints.parse("ETCD://etcd-1.lain:2379/").hostPorts())
        .containsExactly("etcd-1.lain:2379");
    assertThat(EtcdEndpoints.parse("etcd://[::1]:2379").clientUrls())
        .containsExactly("http://[::1]:2379");
  }

  @Test
  void storesOpensEtcdUrlsThroughTheProvider() {
    try (Store store = Stores.open("etcd://127.0.0.1:2379,127.0.0.1:22379")) {
      assertThat(store.backend()).isEqualTo("etcd");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "etcd://                   | no endpoint given",
        "etcd://127.0.0.1          | has no port",
        "etcd://127.0.0.1:         | invalid port ''",
        "etcd://127.0.0.1:http     | invalid port 'http'",
        "etcd://127.0.0.1:0        | not 1-65535",
        "etcd://127.0.0.1:65536    | not 1-65535",
        "etcd://:2379              | has no host",
        "etcd://a:1,,b:2           | empty endpoint",
        "etcd://a:1,               | empty endpoint",
        "etcd://h_x:2379           | invalid host 'h_x'",
        "etcd://h:2379/lain        | a path",
        "etcd://h:2379?timeout=1s  | query parameters",
        "etcd://root:pw@h:2379     | credentials",
        "etcd:h:2379               | starts with etcd://",
      })
  void malformedUrlsAreRejectedSayingWhatIsWrong(String url, String why) {
    assertThatThrownBy(() -> Stores.open(url))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.code()).isEqualTo(StoreException.Code.INVALID_URL))
        .hasMessageContaining(url)
        .hasMessageContaining(why);
  }

  @Test
  void anEtcdThatIsNotRunningIsUnavailableWithinTheTimeout() throws IOException {
    String url = "etcd://127.0.0.1:" + closedPort();
    try (EtcdStore store = EtcdStore.open(url, Duration.ofSeconds(1))) {
      for (Runnable call :
          new Runnable[] {
            store::revision,
            () -> store.get("/a"),
            () -> store.put("/a", "1"),
            () -> store.list("/"),
            () -> store.watch("/", 0, events -> {}),
            () -> store.grantLease(Duration.ofSeconds(5)),
          }) {
        long start = System.nanoTime();
        assertThatThrownBy(call::run)
            .isInstanceOfSatisfying(
                StoreException.class,
                e -> assertThat(e.code()).isEqualTo(StoreException.Code.UNAVAILABLE))
            .hasMessageStartingWith("etcd at " + url.substring("etcd://".length()) + ": ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      }
    }
  }

  @Test
  void theDefaultTimeoutAppliesToStoresOpenedByUrl() throws IOException {
    try (Store store = Stores.open("etcd://127.0.0.1:" + closedPort())) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.get("/a"))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.code()).isEqualTo(StoreException.Code.UNAVAILABLE));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(EtcdStore.DEFAULT_TIMEOUT.minusSeconds(1), Duration.ofSeconds(15));
    }
  }

  @Test
  void anInterruptedCallFailsAndKeepsTheInterruptFlag() throws Exception {
    try (EtcdStore store =
        EtcdStore.open("etcd://127.0.0.1:" + closedPort(), Duration.ofSeconds(30))) {
      AtomicBoolean stillInterrupted = new AtomicBoolean();
      Thread caller = Thread.currentThread();
      CompletableFuture<Void> interrupter =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Thread.sleep(300);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                caller.interrupt();
              });
      try {
        assertThatThrownBy(() -> store.get("/a"))
            .isInstanceOfSatisfying(
                StoreException.class,
                e -> assertThat(e.code()).isEqualTo(StoreException.Code.UNAVAILABLE));
      } finally {
        stillInterrupted.set(Thread.interrupted());
      }
      interrupter.get(5, TimeUnit.SECONDS);
      assertThat(stillInterrupted).isTrue();
    }
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
