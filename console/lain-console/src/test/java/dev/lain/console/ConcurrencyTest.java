package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.console.ConsoleHarness.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests racing on one thing: exactly one wins, the others are told so. */
class ConcurrencyTest {
  ConsoleHarness h;
  String dev;

  @BeforeEach
  void start() {
    h = new ConsoleHarness();
    dev = h.user("dev");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private List<Integer> race(int n, Callable<Response> request) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Response>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(request));
      }
      for (Future<Response> f : futures) {
        statuses.add(f.get().status());
      }
    }
    return statuses;
  }

  @Test
  void oneOfManyRegistrationsAndFirstDeploysWins() throws Exception {
    List<Integer> repos = race(8, () -> h.post("/api/v1/repos", dev, "{\"appname\":\"hello\"}"));
    List<Integer> deploys = race(8, () -> h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}"));

    assertThat(repos).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
    assertThat(deploys).containsOnly(202, 409).filteredOn(s -> s == 202).hasSize(1);
    assertThat(h.get("/api/v1/apps/hello/history", dev).json().path("history")).hasSize(1);
  }

  @Test
  void concurrentUpgradesEachLeaveOneHistoryEntry() throws Exception {
    h.repo("hello", dev);
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");

    List<Integer> upgrades = race(6, () -> h.call("PUT", "/api/v1/apps/hello", dev, "{}"));

    // This console serialises them (its lock per app); a console on another master would get 409.
    assertThat(upgrades).allMatch(s -> s == 202 || s == 409);
    long accepted = upgrades.stream().filter(s -> s == 202).count();
    assertThat(h.get("/api/v1/apps/hello/history", dev).json().path("history"))
        .hasSize(1 + (int) accepted);
  }

  @Test
  void twoConsolesOnOneStoreNeverInterleaveAnUpgrade() throws Exception {
    h.repo("hello", dev);
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");
    Console second = new Console(h.store, h.images, h.logs, h.clock);
    try (ConsoleServer other = ConsoleServer.start("127.0.0.1", 0, second)) {
      java.util.concurrent.atomic.AtomicInteger turn =
          new java.util.concurrent.atomic.AtomicInteger();
      List<Integer> upgrades =
          race(
              12,
              () -> {
                String path =
                    turn.getAndIncrement() % 2 == 0
                        ? "/api/v1/apps/hello"
                        : "http://127.0.0.1:" + other.port() + "/api/v1/apps/hello";
                return path.startsWith("http")
                    ? h.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(path))
                            .header("access-token", dev)
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                            .build())
                    : h.call("PUT", path, dev, "{}");
              });

      assertThat(upgrades).allMatch(s -> s == 202 || s == 409);
      long accepted = upgrades.stream().filter(s -> s == 202).count();
      assertThat(h.get("/api/v1/apps/hello/history", dev).json().path("history"))
          .hasSize(1 + (int) accepted);
      assertThat(h.get("/api/v1/apps/hello", dev).json().path("app").path("state").asText())
          .isNotEqualTo("error");
    }
  }

  @Test
  void aRecordLeftDeployingByAnOlderConsoleDoesNotBlockTheNextChange() {
    h.repo("hello", dev);
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");
    // Consoles before one-transaction operations marked the record while they worked.
    String key = "/lain/console/apps/hello";
    h.store.put(
        key, h.store.get(key).orElseThrow().value().replace("\"deployed\"", "\"deploying\""));

    ConsoleHarness.Response upgrade = h.call("PUT", "/api/v1/apps/hello", dev, "{}");

    assertThat(upgrade.status()).isEqualTo(202);
    assertThat(h.store.get(key).orElseThrow().value()).contains("\"running_state\":\"deployed\"");
  }
}
