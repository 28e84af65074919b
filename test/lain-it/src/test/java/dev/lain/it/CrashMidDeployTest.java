package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lain.model.console.HistoryEntry;
import dev.lain.records.console.Apps;
import dev.lain.records.console.AuditLog;
import dev.lain.records.console.Users;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.Versioned;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.LocalRegistry;
import dev.lain.testkit.LoopbackHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the master serving the console while it handles an upgrade, again and again at
 * different moments: each upgrade either landed whole (app record, pod groups, one history entry
 * and one audit record) or left nothing, every acknowledged one landed, and the first request to
 * the restarted master is accepted, not refused as "being changed".
 */
class CrashMidDeployTest {
  static final int ROUNDS = 8;

  @TempDir Path dir;
  @TempDir Path home;
  @TempDir Path app;
  Store store;
  Process laind;
  int consolePort;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws InterruptedException {
    if (laind != null) {
      laind.destroyForcibly();
      laind.waitFor(10, TimeUnit.SECONDS);
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void anUpgradeCutShortLandsWholeOrNotAtAllAndTheNextOneIsAccepted() throws Exception {
    DockerDaemon docker = DockerDaemon.shared();
    String base = BusyboxImage.in(docker);
    LocalRegistry registry = LocalRegistry.shared();
    String storeUrl = "embedded:" + dir.resolve("store.db");
    store = Stores.open(storeUrl);
    String admin = Users.createAdmin(store, "admin");
    consolePort = LoopbackHttp.freePorts(1).getFirst();
    List<String> args =
        List.of(
            "--store",
            storeUrl,
            "master",
            "--listen",
            "127.0.0.1:" + LoopbackHttp.freePorts(1).getFirst(),
            "--console",
            "127.0.0.1:" + consolePort,
            "--registry",
            registry.address());
    laind = startAndAwait(args);

    AppWorkspace ws = new AppWorkspace(home, app, docker);
    Files.writeString(
        app.resolve("lain.yaml"),
        """
        appname: crash
        build:
          base: %s
          script: [echo]
        web:
          cmd: httpd -f -p 8080
          port: 8080
          memory: 32m
        worker.sync:
          cmd: sleep 1000
        """
            .formatted(base));
    ws.git("init", "-q");
    Files.writeString(home.resolve("token"), admin);
    ws.ok("config", "save", "it", "console", "http://127.0.0.1:" + consolePort);
    ws.ok("config", "save", "it", "registry", registry.address());
    ws.ok("login", "it", "--token-file", home.resolve("token").toString());
    ws.ok("reposit", "it");
    List<String> versions = new ArrayList<>();
    for (String page : List.of("one", "two")) {
      ws.commit(page);
      ws.ok("build", "--push", "it");
      versions.add(ws.ok("meta").out().strip());
    }
    assertThat(upgrade(admin, Optional.empty(), "POST").get().statusCode()).isEqualTo(202);

    Apps apps = new Apps(store, InstantSource.system());
    Random random = new Random(42);
    int landed = 0;
    List<String> outcomes = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String target = versions.get(round % 2);
      int historyBefore = apps.history("crash").size();
      int auditBefore = upgradesAudited();
      String versionBefore = apps.get("crash").orElseThrow().value().metaVersion();

      CompletableFuture<HttpResponse<String>> request = upgrade(admin, Optional.of(target), "PUT");
      // An upgrade takes about half a second here: cut it anywhere in it, or just after.
      Thread.sleep(random.nextInt(700));
      laind.destroyForcibly();
      laind.waitFor(10, TimeUnit.SECONDS);
      Optional<Integer> answered = answer(request);

      int historyAdded = apps.history("crash").size() - historyBefore;
      int auditAdded = upgradesAudited() - auditBefore;
      String versionAfter = apps.get("crash").orElseThrow().value().metaVersion();
      boolean changed = historyAdded == 1;
      outcomes.add(
          (answered.map(s -> "answered " + s).orElse("no answer"))
              + (changed ? ", landed" : ", nothing written"));
      assertThat(historyAdded).as("round %d: history entries added", round).isBetween(0, 1);
      assertThat(auditAdded)
          .as("round %d: audit records of the upgrade", round)
          .isEqualTo(historyAdded);
      assertThat(versionAfter).isEqualTo(changed ? target : versionBefore);
      if (changed) {
        HistoryEntry newest = apps.history("crash").getFirst();
        assertThat(newest.metaVersion()).isEqualTo(target);
        assertThat(podGroupImages()).allMatch(image -> image.endsWith(target));
        landed++;
      } else {
        assertThat(podGroupImages()).allMatch(image -> image.endsWith(versionBefore));
      }
      if (answered.filter(s -> s == 202).isPresent()) {
        assertThat(changed).as("round %d: acknowledged, so it landed", round).isTrue();
      }

      long restarted = System.nanoTime();
      laind = startAndAwait(args);
      long backMillis = (System.nanoTime() - restarted) / 1_000_000;
      // The restarted master takes the next change at once: nothing of the cut one holds the app.
      String next = versions.get((round + 1) % 2);
      long asked = System.nanoTime();
      HttpResponse<String> accepted = upgrade(admin, Optional.of(next), "PUT").get();
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      outcomes.set(
          round,
          outcomes.get(round)
              + String.format(
                  "; console back %d ms after the restart, next upgrade accepted in %d ms",
                  backMillis, (System.nanoTime() - asked) / 1_000_000));
    }
    System.out.printf(
        "kill -9 of the master mid-upgrade, %d rounds (%d landed): %s%n",
        ROUNDS, landed, String.join(" | ", outcomes));
  }

  private Process startAndAwait(List<String> args) throws IOException {
    Process process = Cluster.laind(dir.resolve("laind.log"), args);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + consolePort + "/api/v1/"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return process;
  }

  /** {@code POST /api/v1/apps} (first deploy) or {@code PUT /api/v1/apps/crash} (upgrade). */
  private CompletableFuture<HttpResponse<String>> upgrade(
      String token, Optional<String> version, String method) {
    String body =
        method.equals("POST")
            ? "{\"appname\":\"crash\"}"
            : "{\"meta_version\":\"" + version.orElseThrow() + "\"}";
    String path = method.equals("POST") ? "/api/v1/apps" : "/api/v1/apps/crash";
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + path))
            .header("access-token", token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<Integer> answer(CompletableFuture<HttpResponse<String>> request)
      throws InterruptedException {
    try {
      return Optional.of(request.get(30, TimeUnit.SECONDS).statusCode());
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  private int upgradesAudited() {
    return (int)
        new AuditLog(store)
            .query(Optional.of("crash"), Optional.empty(), AuditLog.KEEP).stream()
                .filter(r -> r.action().equals("app.upgrade") && r.status() == 202)
                .count();
  }

  private List<String> podGroupImages() {
    return new DeploydState(store)
        .snapshot().podGroups().values().stream()
            .map(Versioned::value)
            .filter(r -> r.name().startsWith("crash."))
            .map(r -> r.spec().container().image())
            .toList();
  }
}
