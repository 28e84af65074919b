package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.console.ConsoleHarness.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and impossible requests get a 4xx with a stable code and a message that says what is
 * wrong, never a 5xx, a stack trace or Jackson's own words.
 */
class BadRequestTableTest {
  static ConsoleHarness h;
  static String dev;

  @BeforeAll
  static void start() {
    h = new ConsoleHarness();
    dev = h.user("dev");
    h.repo("hello", dev);
    h.post(
        "/api/v1/apps",
        dev,
        "{\"appname\":\"hello\",\"meta_version\":\"" + ConsoleHarness.HELLO_V1 + "\"}");
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static final String PROC = "/api/v1/apps/hello/procs/web";
  static final String LOGS = "/api/v1/apps/hello/procs/web/instances/1/logs";

  /** who (dev or admin), method, path, body, status, words the message contains. */
  static Stream<Arguments> badRequests() {
    String big = "{\"appname\":\"" + "a".repeat(100_000) + "\"}";
    return Stream.of(
        row("dev", "POST", "/api/v1/repos", "{", 400, "not valid JSON"),
        row("dev", "POST", "/api/v1/repos", "[]", 400, "must be a JSON object"),
        row("dev", "POST", "/api/v1/repos", "\"hello\"", 400, "must be a JSON object"),
        row("dev", "POST", "/api/v1/repos", "{\"appname\":5}", 400, "appname must be a string"),
        row("dev", "POST", "/api/v1/repos", "{}", 400, "appname is required"),
        row(
            "dev",
            "POST",
            "/api/v1/repos",
            "{\"appname\":\"x\",\"giturl\":1}",
            400,
            "unknown field giturl"),
        row("dev", "POST", "/api/v1/repos", "{\"appname\":\"Bad_Name\"}", 400, "bad appname"),
        row("dev", "POST", "/api/v1/repos", "{\"appname\":\"../etc\"}", 400, "bad appname"),
        row("dev", "POST", "/api/v1/repos", "{\"appname\":\"a/b\"}", 400, "bad appname"),
        row("dev", "POST", "/api/v1/repos", "{\"appname\":\"service\"}", 400, "reserved"),
        row(
            "dev",
            "POST",
            "/api/v1/repos",
            "{\"appname\":\"" + "a".repeat(64) + "\"}",
            400,
            "at most 63"),
        row("dev", "POST", "/api/v1/repos", "{\"appname\":\"hello\"}", 409, "reposited already"),
        row("dev", "POST", "/api/v1/repos", "{\"appname\":\"a\"} {}", 400, "not valid JSON"),
        row(
            "dev",
            "POST",
            "/api/v1/repos",
            "{\"appname\":\"a\",\"appname\":\"b\"}",
            400,
            "not valid JSON"),
        row("dev", "POST", "/api/v1/repos", big, 400, "larger than 64 KiB"),
        row(
            "dev",
            "POST",
            "/api/v1/apps",
            "{\"appname\":\"nope\"}",
            404,
            "has not been reposited yet"),
        row("dev", "POST", "/api/v1/apps", "{\"appname\":\"hello\"}", 409, "deployed already"),
        row(
            "dev",
            "POST",
            "/api/v1/apps",
            "{\"appname\":\"hello\",\"meta_version\":7}",
            400,
            "meta_version must be a string"),
        row(
            "dev",
            "PUT",
            "/api/v1/apps/hello",
            "{\"meta_version\":\"1800000000-fffffff\"}",
            400,
            "unknown meta_version"),
        row(
            "dev",
            "PUT",
            "/api/v1/apps/hello",
            "{\"meta_version\":\"latest\"}",
            400,
            "bad meta_version"),
        row(
            "dev",
            "PUT",
            "/api/v1/apps/hello",
            "{\"meta_version\":\"../../x\"}",
            400,
            "bad meta_version"),
        row("dev", "PUT", "/api/v1/apps/nope", "{}", 404, "has not been reposited yet"),
        row("dev", "PUT", "/api/v1/apps/Bad_App", "{}", 400, "bad appname"),
        row(
            "dev",
            "POST",
            "/api/v1/apps/hello/rollback",
            "{\"meta_version\":\"1800000000-fffffff\"}",
            400,
            "unknown meta_version"),
        row("dev", "PATCH", PROC, "{\"num_instances\":-1}", 400, "num_instances must be 0..1000"),
        row(
            "dev",
            "PATCH",
            PROC,
            "{\"num_instances\":\"3\"}",
            400,
            "num_instances must be a whole number"),
        row(
            "dev",
            "PATCH",
            PROC,
            "{\"num_instances\":1.5}",
            400,
            "num_instances must be a whole number"),
        row(
            "dev",
            "PATCH",
            PROC,
            "{\"num_instances\":99999999999}",
            400,
            "num_instances must be a whole number"),
        row(
            "dev",
            "PATCH",
            PROC,
            "{\"num_instances\":100000}",
            400,
            "num_instances must be 0..1000"),
        row("dev", "PATCH", PROC, "{\"cpu\":-1}", 400, "cpu must be 0..8"),
        row("dev", "PATCH", PROC, "{\"cpu\":9}", 400, "cpu must be 0..8"),
        row("dev", "PATCH", PROC, "{\"memory\":\"64\"}", 400, "bad memory"),
        row("dev", "PATCH", PROC, "{\"memory\":\"1m\"}", 400, "below docker's minimum"),
        row("dev", "PATCH", PROC, "{\"memory\":\"64k\"}", 400, "bad memory"),
        row("dev", "PATCH", PROC, "{\"memory\":\"-64m\"}", 400, "bad memory"),
        row("dev", "PATCH", PROC, "{\"memory\":\"9999999g\"}", 400, "more than 1024g"),
        row("dev", "PATCH", PROC, "{\"memory\":64}", 400, "memory must be a string"),
        row("dev", "PATCH", PROC, "{}", 400, "give num_instances, cpu or memory"),
        row("dev", "PATCH", PROC, "{\"replicas\":2}", 400, "unknown field replicas"),
        row("dev", "PATCH", PROC, "{\"operation\":\"explode\"}", 400, "bad operation"),
        row("dev", "PATCH", PROC, "{\"operation\":\"stop\",\"num_instances\":1}", 400, "not both"),
        row(
            "dev",
            "PATCH",
            PROC,
            "{\"operation\":\"stop\",\"instance\":0}",
            400,
            "has instances 1..2"),
        row(
            "dev",
            "PATCH",
            PROC,
            "{\"operation\":\"stop\",\"instance\":99}",
            400,
            "has instances 1..2"),
        row("dev", "PATCH", PROC, "{\"instance\":1}", 400, "instance goes with an operation"),
        row(
            "dev",
            "PATCH",
            "/api/v1/apps/hello/procs/nope",
            "{\"num_instances\":1}",
            404,
            "has no proc nope"),
        row(
            "dev",
            "PATCH",
            "/api/v1/apps/hello/procs/bad..name",
            "{\"num_instances\":1}",
            400,
            "bad proc name"),
        row("admin", "POST", "/api/v1/users", "{\"name\":\"Root!\"}", 400, "bad username"),
        row("admin", "POST", "/api/v1/users", "{\"name\":\"root\"}", 409, "exists already"),
        row(
            "admin",
            "POST",
            "/api/v1/users",
            "{\"name\":\"x\",\"admin\":\"yes\"}",
            400,
            "admin must be true or false"),
        row("admin", "POST", "/api/v1/users", "{\"name\":\"anonymous\"}", 400, "reserved"),
        row("admin", "DELETE", "/api/v1/users/nobody", null, 404, "no user nobody"),
        row("admin", "DELETE", "/api/v1/users/root", null, 409, "cannot delete yourself"),
        row("admin", "DELETE", "/api/v1/users/dev/tokens/zzzz", null, 404, "has no token"),
        row(
            "dev",
            "POST",
            "/api/v1/repos/hello/maintainers",
            "{\"username\":\"nobody\",\"role\":\"admin\"}",
            404,
            "no user nobody"),
        row(
            "dev",
            "POST",
            "/api/v1/repos/hello/maintainers",
            "{\"username\":\"dev\",\"role\":\"owner\"}",
            400,
            "bad role"),
        row(
            "dev",
            "POST",
            "/api/v1/repos/hello/maintainers",
            "{\"username\":\"dev\",\"role\":\"normal\"}",
            409,
            "last admin"),
        row("dev", "DELETE", "/api/v1/repos/hello/maintainers/dev", null, 409, "last admin"),
        row(
            "dev",
            "DELETE",
            "/api/v1/repos/hello/maintainers/nobody",
            null,
            404,
            "does not exist in the app"),
        row(
            "dev",
            "GET",
            "/api/v1/apps/hello/procs/web/instances/abc/logs",
            null,
            400,
            "instance must be a whole number"),
        row("dev", "GET", LOGS + "?tail=-1", null, 400, "tail must be 0..10000"),
        row("dev", "GET", LOGS + "?tail=ten", null, 400, "tail must be a whole number"),
        row("dev", "GET", LOGS + "?follow=maybe", null, 400, "follow must be true or false"),
        row(
            "dev",
            "GET",
            "/api/v1/apps/hello/procs/web/instances/7/logs",
            null,
            404,
            "has no instance 7"),
        row("admin", "GET", "/api/v1/audit?limit=0", null, 400, "limit must be 1..1000"),
        row("dev", "GET", "/api/v1/repos/nope", null, 404, "has not been reposited yet"),
        row("dev", "POST", "/api/v1/nothing-here", "{}", 404, "no such endpoint"),
        row("dev", "DELETE", PROC, null, 404, "no such endpoint"));
  }

  private static Arguments row(
      String who, String method, String path, String body, int status, String words) {
    return Arguments.of(who, method, path, body, status, words);
  }

  @ParameterizedTest(name = "{1} {2} {3} -> {4}")
  @MethodSource("badRequests")
  void isRefusedWithAClearMessage(
      String who, String method, String path, String body, int status, String words) {
    Response r = h.call(method, path, who.equals("admin") ? h.adminToken : dev, body);

    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.code())
        .isEqualTo(
            switch (status) {
              case 400 -> "invalid";
              case 404 -> "not_found";
              case 409 -> "conflict";
              default -> "?";
            });
    assertThat(r.message()).contains(words);
    assertThat(r.body())
        .doesNotContain("Exception")
        .doesNotContain("dev.lain")
        .doesNotContain("com.fasterxml")
        .doesNotContain("\tat ");
  }

  @Test
  void thereAreAtLeastThirtyCases() {
    assertThat(badRequests().count()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void pathTraversalAndOddEncodingsNeverReachAStoreKeyNorFail() {
    List<String> paths =
        List.of(
            "/api/v1/repos/..%2F..%2Fusers",
            "/api/v1/repos/%2e%2e",
            "/api/v1/repos/hello%00",
            "/api/v1/apps/..%2Fapps%2Fhello",
            "/api/v1/users/..%2Froot/tokens",
            "/api/v1/repos/hello/maintainers/..%2F..%2Fusers%2Froot");
    List<String> seen = new ArrayList<>();
    for (String path : paths) {
      for (String method : List.of("GET", "POST", "DELETE")) {
        Response r =
            h.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.server.port() + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("access-token", dev)
                    .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                    .build());
        seen.add(method + " " + path + " -> " + r.status());
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isBetween(400, 499);
      }
    }
    assertThat(h.store.get("/lain/console/users/root")).isPresent();
    assertThat(h.store.list("/lain/console/").entries())
        .allMatch(kv -> !kv.key().contains("..") && !kv.key().contains("//"), seen.toString());
  }
}
