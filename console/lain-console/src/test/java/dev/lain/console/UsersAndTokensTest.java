package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.console.ConsoleHarness.Response;
import dev.lain.model.console.User;
import dev.lain.records.RecordException;
import dev.lain.records.console.Users;
import dev.lain.store.KeyValue;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsersAndTokensTest {
  ConsoleHarness h;

  @BeforeEach
  void start() {
    h = new ConsoleHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void createAdminWritesTheUserAndOnlyAHashOfItsToken() {
    String token = Users.createAdmin(h.store, "ops");

    assertThat(token).matches("lain_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
    String secret = token.substring(token.lastIndexOf('_', 21) + 1);
    assertThat(secret).hasSize(43);
    assertThat(h.store.list("/lain/console/").entries())
        .extracting(KeyValue::value)
        .noneMatch(v -> v.contains(secret));
    assertThat(h.console.authenticate(token)).get().extracting(User::admin).isEqualTo(true);
    assertThatThrownBy(() -> Users.createAdmin(h.store, "ops"))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("exists already");
  }

  @Test
  void tokensAreAcceptedInEitherHeaderAndAWrongSecretIsNot() {
    Response viaHeader = h.get("/api/v1/auth/me", h.adminToken);
    Response viaBearer =
        h.send(
            HttpRequest.newBuilder(h.uri("/api/v1/auth/me"))
                .header("Authorization", "Bearer " + h.adminToken)
                .build());
    String forged = otherLastChar(h.adminToken, 'A', 'B');
    String forged2 = otherLastChar(h.adminToken, 'x', 'y');

    assertThat(viaHeader.status()).isEqualTo(200);
    assertThat(viaHeader.json().path("user").path("name").asText()).isEqualTo("root");
    assertThat(viaHeader.json().path("user").path("admin").asBoolean()).isTrue();
    assertThat(viaBearer.status()).isEqualTo(200);
    assertThat(h.get("/api/v1/auth/me", forged).status()).isEqualTo(401);
    assertThat(h.get("/api/v1/auth/me", forged2).status()).isEqualTo(401);
    assertThat(h.get("/api/v1/auth/me", "unknown").status()).isEqualTo(401);
  }

  /** The token with its last character changed (to {@code a}, or {@code b} if it was {@code a}). */
  private static String otherLastChar(String token, char a, char b) {
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + (last == a ? b : a);
  }

  @Test
  void usersGetMoreTokensRevokeThemAndLoseThemWithTheUser() {
    String dev = h.user("dev");
    Response second = h.post("/api/v1/users/dev/tokens", dev, null);
    assertThat(second.status()).isEqualTo(201);
    String token2 = second.json().path("token").asText();
    String id2 = second.json().path("token_id").asText();
    assertThat(h.get("/api/v1/auth/me", token2).status()).isEqualTo(200);

    JsonNode listed = h.get("/api/v1/users/dev/tokens", dev).json().path("tokens");
    assertThat(listed).hasSize(2);
    assertThat(listed.toString()).doesNotContain(token2.substring(22));

    assertThat(h.call("DELETE", "/api/v1/users/dev/tokens/" + id2 + "/", dev, null).status())
        .isEqualTo(200);
    assertThat(h.get("/api/v1/auth/me", token2).status()).isEqualTo(401);
    assertThat(h.get("/api/v1/auth/me", dev).status()).isEqualTo(200);

    assertThat(h.call("DELETE", "/api/v1/users/dev", h.adminToken, null).status()).isEqualTo(200);
    assertThat(h.get("/api/v1/auth/me", dev).status()).isEqualTo(401);
    assertThat(h.store.list("/lain/console/tokens/").entries()).hasSize(1);
  }

  @Test
  void onlyAdminsManageUsersAndSomeoneElsesTokens() {
    String dev = h.user("dev");
    h.user("eve");

    assertThat(h.post("/api/v1/users", dev, "{\"name\":\"mallory\",\"admin\":true}").status())
        .isEqualTo(403);
    assertThat(h.get("/api/v1/users", dev).status()).isEqualTo(403);
    assertThat(h.post("/api/v1/users/eve/tokens", dev, null).status()).isEqualTo(403);
    assertThat(h.post("/api/v1/users/eve/tokens", h.adminToken, null).status()).isEqualTo(201);
    assertThat(h.get("/api/v1/users", h.adminToken).json().path("users")).hasSize(3);
  }

  @Test
  void meListsTheAppRolesAndRolesAnswerThePerAppRole() {
    String dev = h.user("dev");
    String ops = h.user("ops");
    h.repo("hello", dev);
    h.post("/api/v1/repos/hello/maintainers", dev, "{\"username\":\"ops\",\"role\":\"normal\"}");

    JsonNode me = h.get("/api/v1/auth/me", ops).json().path("user");
    JsonNode role = h.get("/api/v1/repos/hello/roles/", ops).json().path("role");
    JsonNode maintainers = h.get("/api/v1/repos/hello/maintainers", ops).json().path("maintainers");

    assertThat(me.path("apps").get(0).path("appname").asText()).isEqualTo("hello");
    assertThat(me.path("apps").get(0).path("role").asText()).isEqualTo("normal");
    assertThat(role.path("role").asText()).isEqualTo("normal");
    assertThat(maintainers).hasSize(2);
    assertThat(
            h.get("/api/v1/repos/hello/roles", h.adminToken)
                .json()
                .path("role")
                .path("role")
                .asText())
        .isEqualTo("admin");

    // Promote, then the first admin may leave.
    assertThat(
            h.post(
                    "/api/v1/repos/hello/maintainers",
                    dev,
                    "{\"username\":\"ops\",\"role\":\"admin\"}")
                .status())
        .isEqualTo(200);
    assertThat(h.call("DELETE", "/api/v1/repos/hello/maintainers/dev", ops, null).status())
        .isEqualTo(200);
    assertThat(h.get("/api/v1/repos/hello", dev).status()).isEqualTo(403);
  }

  @Test
  void lastUsedIsRecordedAtMostOncePerMinute() {
    String dev = h.user("dev");
    String id = dev.split("_")[1];
    long before = h.store.get("/lain/console/tokens/" + id).orElseThrow().modRevision();
    h.get("/api/v1/auth/me", dev);
    assertThat(h.store.get("/lain/console/tokens/" + id).orElseThrow().modRevision())
        .isEqualTo(before);

    h.clock.advance(Duration.ofMinutes(2));
    h.get("/api/v1/auth/me", dev);

    JsonNode listed = h.get("/api/v1/users/dev/tokens", dev).json().path("tokens").get(0);
    assertThat(listed.path("last_used").asText()).isEqualTo("2026-01-01T00:02:00Z");
    assertThat(listed.path("created").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void versionsAreNewestFirst() {
    String dev = h.user("dev");
    h.repo("hello", dev);

    JsonNode r = h.get("/api/v1/repos/hello/versions", dev).json();

    assertThat(r.path("appname").asText()).isEqualTo("hello");
    assertThat(r.path("tags").toString())
        .isEqualTo(
            "[\""
                + ConsoleHarness.HELLO_V3
                + "\",\""
                + ConsoleHarness.HELLO_V2
                + "\",\""
                + ConsoleHarness.HELLO_V1
                + "\"]");
  }
}
