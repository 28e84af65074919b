package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.store.Watch;
import dev.lain.store.WatchEvent;
import dev.lain.store.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each operation lands in one store revision: its pod groups, the app record, the history entry and
 * the audit record, so a console that dies mid-operation leaves all of it or none.
 */
class OneTransactionTest {
  ConsoleHarness h;
  String dev;

  @BeforeEach
  void start() {
    h = new ConsoleHarness();
    dev = h.user("dev");
    h.repo("hello", dev);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** The revisions of the request's writes, each with the kinds of record written in it. */
  private Map<Long, String> writesOf(Supplier<ConsoleHarness.Response> request, int status) {
    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    long from = h.store.revision() + 1;
    Watch watch = h.store.watch("/lain/", from, recorder(events));
    try {
      ConsoleHarness.Response response = request.get();
      assertThat(response.status()).as(response.toString()).isEqualTo(status);
      long to = h.store.revision();
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !events.isEmpty() && events.getLast().revision() >= to);
    } finally {
      watch.close();
    }
    return events.stream()
        .collect(
            Collectors.groupingBy(
                WatchEvent::revision,
                TreeMap::new,
                Collectors.mapping(
                    e -> kind(e.key()),
                    Collectors.collectingAndThen(
                        Collectors.toCollection(TreeSet::new), kinds -> String.join(",", kinds)))));
  }

  private static String kind(String key) {
    for (String kind : List.of("pod_groups", "apps", "history", "audit", "retired_versions")) {
      if (key.contains("/" + kind + "/")) {
        return kind;
      }
    }
    return key;
  }

  @Test
  void aDeployIsOneRevisionWithItsHistoryAndAudit() {
    assertThat(writesOf(() -> h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}"), 202))
        .containsOnlyKeys(h.store.revision())
        .containsValue("apps,audit,history,pod_groups");
  }

  @Test
  void anUpgradeThatRemovesAProcIsOneRevision() {
    h.post(
        "/api/v1/apps",
        dev,
        "{\"appname\":\"hello\",\"meta_version\":\"" + ConsoleHarness.HELLO_V1 + "\"}");

    Map<Long, String> writes =
        writesOf(
            () ->
                h.call(
                    "PUT",
                    "/api/v1/apps/hello",
                    dev,
                    "{\"meta_version\":\"" + ConsoleHarness.HELLO_V2 + "\"}"),
            202);

    assertThat(writes).hasSize(1).containsValue("apps,audit,history,pod_groups,retired_versions");
  }

  @Test
  void anUndeployIsOneRevision() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");

    assertThat(writesOf(() -> h.call("DELETE", "/api/v1/apps/hello", dev, null), 202))
        .hasSize(1)
        .containsValue("apps,audit,history,pod_groups,retired_versions");
  }

  @Test
  void aScaleIsOneRevisionWithItsAudit() {
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");

    assertThat(
            writesOf(
                () -> h.call("PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"num_instances\":4}"),
                202))
        .hasSize(1)
        .containsValue("audit,pod_groups");
  }

  @Test
  void aRefusedOperationWritesOnlyItsAuditRecord() {
    assertThat(
            writesOf(
                () ->
                    h.post(
                        "/api/v1/apps",
                        dev,
                        "{\"appname\":\"hello\",\"meta_version\":\"1-abcdefg\"}"),
                400))
        .hasSize(1)
        .containsValue("audit");
  }

  private static WatchListener recorder(List<WatchEvent> events) {
    return new WatchListener() {
      @Override
      public void onEvents(List<WatchEvent> batch) {
        events.addAll(batch);
      }

      @Override
      public void onCompacted(long compactRevision) {
        throw new AssertionError("history compacted at " + compactRevision);
      }
    };
  }
}
