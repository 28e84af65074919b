package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lain.records.console.AuditLog;
import dev.lain.store.KeyValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditTest {
  ConsoleHarness h;

  @BeforeEach
  void start() {
    h = new ConsoleHarness();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private List<String> audit(String query) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : h.get("/api/v1/audit" + query, h.adminToken).json().path("audit")) {
      out.add(
          r.path("user").asText()
              + " "
              + r.path("method").asText()
              + " "
              + r.path("path").asText()
              + " "
              + r.path("app").asText()
              + " "
              + r.path("action").asText()
              + " "
              + r.path("status").asInt());
    }
    return out;
  }

  @Test
  void everyMutatingRequestIsRecordedAllowedOrRefusedNewestFirst() {
    String dev = h.user("dev");
    h.repo("hello", dev);
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");
    h.call("PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"num_instances\":1}");
    h.call("PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"operation\":\"restart\"}");
    h.call("PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"num_instances\":-1}");
    h.call("DELETE", "/api/v1/apps/hello", null, null);
    h.post("/api/v1/repos", dev, "{\"appname\":\"hello\"}");
    h.post("/api/v1/apps", dev, "{\"appname\":\"nope\"}");
    h.get("/api/v1/apps/hello", dev);

    assertThat(audit(""))
        .containsExactly(
            "dev POST /api/v1/apps nope app.deploy 404",
            "dev POST /api/v1/repos hello repo.create 409",
            "anonymous DELETE /api/v1/apps/hello hello app.undeploy 401",
            "dev PATCH /api/v1/apps/hello/procs/web hello proc.scale 400",
            "dev PATCH /api/v1/apps/hello/procs/web hello proc.restart 202",
            "dev PATCH /api/v1/apps/hello/procs/web hello proc.scale 202",
            "dev POST /api/v1/apps hello app.deploy 202",
            "dev POST /api/v1/repos hello repo.create 201",
            "root POST /api/v1/users  user.create 201");
    assertThat(audit("?app=hello&limit=2"))
        .containsExactly(
            "dev POST /api/v1/repos hello repo.create 409",
            "anonymous DELETE /api/v1/apps/hello hello app.undeploy 401");
    assertThat(audit("?user=root")).containsExactly("root POST /api/v1/users  user.create 201");
    JsonNode refused =
        h.get("/api/v1/audit?user=anonymous", h.adminToken).json().path("audit").get(0);
    assertThat(refused.path("message").asText()).startsWith("unauthorized");
    assertThat(refused.path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void theAuditLogHoldsNoTokens() {
    String dev = h.user("dev");
    h.post("/api/v1/users/dev/tokens", dev, null);
    h.post("/api/v1/users", h.adminToken, "{\"name\":\"eve\"}");

    assertThat(h.store.list("/lain/console/audit/").entries())
        .hasSize(3)
        .extracting(KeyValue::value)
        .noneMatch(v -> v.contains("lain_"));
  }

  @Test
  void theLogIsTrimmedToItsNewestRecords() {
    AuditLog log = new AuditLog(h.store);
    for (int i = 0; i < AuditLog.KEEP + 5; i++) {
      h.store.put(
          String.format("/lain/console/audit/%013d-00000000", i),
          "{\"user\":\"u" + i + "\",\"status\":200}");
    }

    log.trim();

    List<KeyValue> left = h.store.list("/lain/console/audit/").entries();
    assertThat(left).hasSize(AuditLog.KEEP);
    assertThat(left.get(0).key()).endsWith(String.format("%013d-00000000", 5));
  }
}
