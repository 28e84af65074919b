package dev.lain.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.model.deploy.PodGroupSpec;
import dev.lain.records.console.Users;
import dev.lain.records.deployd.DeploydState;
import dev.lain.records.deployd.PodGroups;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A console on loopback over a memory store, with the pod group records on the same store (no
 * engine: pod groups are only desired state here), fake images and logs, a settable clock and an
 * admin.
 */
final class ConsoleHarness implements AutoCloseable {
  static final String HELLO_V1 = "1700000000-aaaaaaa";
  static final String HELLO_V2 = "1700000100-bbbbbbb";
  static final String HELLO_V3 = "1700000200-ccccccc";

  static final String HELLO_YAML_V1 =
      """
      appname: hello
      build:
        base: busybox
        script: [echo]
      web:
        cmd: httpd -f -p 8080
        port: 8080
        memory: 64m
        num_instances: 2
      worker.sync:
        cmd: sleep 1000
      """;

  /** v2 drops worker.sync and adds worker.jobs. */
  static final String HELLO_YAML_V2 =
      """
      appname: hello
      build:
        base: busybox
        script: [echo]
      web:
        cmd: httpd -f -p 8080
        port: 8080
        memory: 128m
        num_instances: 5
      worker.jobs:
        cmd: sleep 2000
      """;

  static final ObjectMapper JSON = new ObjectMapper();

  final Store store = new MemoryStore();
  final PodGroups deployd = new PodGroups(new DeploydState(store));
  final FakeImages images = new FakeImages();
  final FakeLogs logs = new FakeLogs();
  final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Console console = new Console(store, images, logs, clock);
  final ConsoleServer server = ConsoleServer.start("127.0.0.1", 0, console);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String adminToken = Users.createAdmin(store, "root");

  ConsoleHarness() {
    images
        .push("hello", HELLO_V1, HELLO_YAML_V1)
        .push("hello", HELLO_V2, HELLO_YAML_V2)
        .push("hello", HELLO_V3, HELLO_YAML_V1.replace("num_instances: 2", "num_instances: 3"));
  }

  /** A clock tests move by hand. */
  static final class FakeClock implements InstantSource {
    private final AtomicReference<Instant> now;

    FakeClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  record Response(int status, String body, JsonNode json) {
    String code() {
      return json.path("code").asText();
    }

    String message() {
      return json.path("message").asText();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  Response call(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("access-token", token);
    }
    return send(b.build());
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
      } catch (IOException e) {
        json = JSON.createObjectNode();
      }
      return new Response(r.statusCode(), r.body(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String path, String token) {
    return call("GET", path, token, null);
  }

  Response post(String path, String token, String body) {
    return call("POST", path, token, body);
  }

  /** Creates a user through the API and returns its token. */
  String user(String name) {
    Response r = post("/api/v1/users", adminToken, "{\"name\":\"" + name + "\",\"admin\":false}");
    if (r.status() != 201) {
      throw new AssertionError(r.toString());
    }
    return r.json().path("token").asText();
  }

  /** Registers {@code app} as the token's user (its admin maintainer). */
  void repo(String app, String token) {
    Response r = post("/api/v1/repos", token, "{\"appname\":\"" + app + "\"}");
    if (r.status() != 201) {
      throw new AssertionError(r.toString());
    }
  }

  PodGroupSpec spec(String podGroup) {
    return deployd.get(podGroup).desired().spec();
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
