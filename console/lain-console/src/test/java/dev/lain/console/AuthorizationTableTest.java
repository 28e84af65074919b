package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.console.ConsoleHarness.Response;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mutating endpoint refuses a request without a token (401) and one from a user with no role
 * in the app (403), and changes nothing; reads of an app are for its maintainers only.
 */
class AuthorizationTableTest {
  static ConsoleHarness h;
  static String dev;
  static String stranger;
  static String devTokenId;

  @BeforeAll
  static void start() {
    h = new ConsoleHarness();
    dev = h.user("dev");
    stranger = h.user("stranger");
    devTokenId = dev.split("_")[1];
    h.repo("hello", dev);
    assertThat(h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}").status()).isEqualTo(202);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  /** method, concrete path, route template, body. */
  static Stream<Arguments> mutations() {
    return Stream.of(
        Arguments.of("POST", "/api/v1/users", "/api/v1/users", "{\"name\":\"eve\"}"),
        Arguments.of("DELETE", "/api/v1/users/dev", "/api/v1/users/{name}", null),
        Arguments.of("POST", "/api/v1/users/dev/tokens", "/api/v1/users/{name}/tokens", null),
        Arguments.of(
            "DELETE", "/api/v1/users/dev/tokens/TOKEN", "/api/v1/users/{name}/tokens/{id}", null),
        Arguments.of("POST", "/api/v1/repos", "/api/v1/repos", "{\"appname\":\"hello\"}"),
        Arguments.of(
            "POST",
            "/api/v1/repos/hello/maintainers",
            "/api/v1/repos/{app}/maintainers",
            "{\"username\":\"stranger\",\"role\":\"admin\"}"),
        Arguments.of(
            "DELETE",
            "/api/v1/repos/hello/maintainers/dev",
            "/api/v1/repos/{app}/maintainers/{user}",
            null),
        Arguments.of("POST", "/api/v1/apps", "/api/v1/apps", "{\"appname\":\"hello\"}"),
        Arguments.of("PUT", "/api/v1/apps/hello", "/api/v1/apps/{app}", "{}"),
        Arguments.of("DELETE", "/api/v1/apps/hello", "/api/v1/apps/{app}", null),
        Arguments.of(
            "PATCH",
            "/api/v1/apps/hello/procs/web",
            "/api/v1/apps/{app}/procs/{proc}",
            "{\"num_instances\":9}"),
        Arguments.of(
            "PATCH",
            "/api/v1/apps/hello/procs/web",
            "/api/v1/apps/{app}/procs/{proc}",
            "{\"operation\":\"restart\"}"),
        Arguments.of("POST", "/api/v1/apps/hello/rollback", "/api/v1/apps/{app}/rollback", "{}"));
  }

  private static String path(String path) {
    return path.replace("TOKEN", devTokenId);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("mutations")
  void withoutATokenEveryMutationIs401(String method, String path, String route, String body) {
    long revision = h.store.revision();
    Response r = h.call(method, path(path), null, body);
    Response bad = h.call(method, path(path), "lain_0000000000000000_" + "x".repeat(43), body);

    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("unauthorized");
    assertThat(bad.status()).isEqualTo(401);
    assertThat(changedOnlyTheAuditLog(revision)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("mutations")
  void aUserWithoutARoleInTheAppGets403(String method, String path, String route, String body) {
    long revision = h.store.revision();
    Response r = h.call(method, path(path), stranger, body);

    if (path.equals("/api/v1/repos")) {
      // Anyone may register an app; hello is taken.
      assertThat(r.status()).isEqualTo(409);
    } else {
      assertThat(r.status()).as(r.body()).isEqualTo(403);
      assertThat(r.code()).isEqualTo("forbidden");
    }
    assertThat(changedOnlyTheAuditLog(revision)).isTrue();
  }

  @Test
  void theTableCoversEveryMutatingRoute() {
    Set<String> registered =
        h.server.endpoints().stream()
            .filter(e -> !e.method().equals("GET"))
            .map(e -> e.method() + " " + e.path())
            .collect(Collectors.toSet());
    Set<String> tested =
        mutations().map(a -> a.get()[0] + " " + a.get()[2]).collect(Collectors.toSet());
    assertThat(tested).isEqualTo(registered);
  }

  @Test
  void readsOfAnAppAreForItsMaintainersAndAdminsOnly() {
    for (String path :
        List.of(
            "/api/v1/repos/hello",
            "/api/v1/repos/hello/versions",
            "/api/v1/repos/hello/maintainers",
            "/api/v1/repos/hello/roles",
            "/api/v1/apps/hello",
            "/api/v1/apps/hello/procs",
            "/api/v1/apps/hello/procs/web",
            "/api/v1/apps/hello/history",
            "/api/v1/apps/hello/procs/web/instances/1/logs")) {
      assertThat(h.get(path, stranger).status()).as(path).isEqualTo(403);
      assertThat(h.get(path, null).status()).as(path).isEqualTo(401);
      assertThat(h.get(path, h.adminToken).status()).as(path).isIn(200, 404);
    }
    assertThat(h.get("/api/v1/users", stranger).status()).isEqualTo(403);
    assertThat(h.get("/api/v1/audit", stranger).status()).isEqualTo(403);
    assertThat(h.get("/api/v1/users/dev/tokens", stranger).status()).isEqualTo(403);
    assertThat(h.get("/api/v1/repos", stranger).json().path("repos")).isEmpty();
    assertThat(h.get("/api/v1/apps", stranger).json().path("apps")).isEmpty();
    assertThat(h.get("/api/v1/repos", dev).json().path("repos")).hasSize(1);
  }

  @Test
  void onlyTheIndexAndTheDocumentAreOpen() {
    assertThat(h.get("/api/v1/", null).status()).isEqualTo(200);
    assertThat(h.get("/api/v1", null).status()).isEqualTo(200);
    assertThat(h.get("/api/v1/openapi.json", null).status()).isEqualTo(200);
    for (ConsoleServer.Endpoint e : h.server.endpoints()) {
      if (e.method().equals("GET")
          && !e.path().equals("/api/v1")
          && !e.path().equals("/api/v1/openapi.json")) {
        String path =
            e.path()
                .replace("{app}", "hello")
                .replace("{proc}", "web")
                .replace("{name}", "dev")
                .replace("{instance}", "1");
        assertThat(h.get(path, null).status()).as(path).isEqualTo(401);
      }
    }
  }

  /** Refused requests write their audit record and nothing else. */
  private static boolean changedOnlyTheAuditLog(long revision) {
    return h.store.list("/lain/").entries().stream()
        .filter(kv -> kv.modRevision() > revision)
        .allMatch(kv -> kv.key().startsWith("/lain/console/audit/"));
  }
}
