package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.model.router.RouterStatus;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lainctl router list} against an embedded store holding routers' reports. */
class LainctlRouterTest {
  @TempDir Path dir;
  private Map<String, String> env;

  @BeforeEach
  void useATemporaryEmbeddedStore() {
    env = CliRun.nodeWithEmbeddedStore(dir);
  }

  private void report(RouterStatus status) {
    try (Store store = Stores.open(env.get("LAIN_STORE"))) {
      store.put(DeploydKeys.router(status.name()), DeploydJson.write(status));
    }
  }

  @Test
  void withoutRoutersItSaysHowOneStarts() {
    CliRun run = CliRun.lainctl(env, "router", "list");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("No webrouter is running").contains("laind router");
  }

  @Test
  void listsEachRouterAndFailsWhenOneReportsAnError() throws Exception {
    Instant at = Instant.parse("2026-11-26T10:00:00Z");
    report(new RouterStatus("node1", 812, at, 14, "", 9, 0, 85));
    CliRun healthy = CliRun.lainctl(env, "router", "list");
    assertThat(healthy.exitCode()).isZero();
    assertThat(healthy.out().lines())
        .containsExactly(
            "NAME   REVISION  APPLIED AT            ROUTES  RELOADS  REFUSED  LAST CHANGE  ERROR",
            "node1  812       2026-11-26T10:00:00Z  14      9        0        85 ms        -");

    report(
        new RouterStatus("node2", 700, at, 13, "nginx -t refused generation 4: bad key", 3, 1, 40));
    CliRun failing = CliRun.lainctl(env, "router", "list");
    assertThat(failing.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(failing.out()).contains("node2").contains("nginx -t refused generation 4: bad key");

    JsonNode json =
        DeploydJson.mapper().readTree(CliRun.lainctl(env, "router", "list", "--json").out());
    assertThat(json).hasSize(2);
    assertThat(json.get(1).get("error").asText()).contains("bad key");
    assertThat(json.get(0).get("appliedRevision").asLong()).isEqualTo(812);
  }

  @Test
  void aRouterThatNeverAppliedShowsNever() {
    report(RouterStatus.initial("node3"));
    assertThat(CliRun.lainctl(env, "router", "list").out()).contains("never");
  }
}
