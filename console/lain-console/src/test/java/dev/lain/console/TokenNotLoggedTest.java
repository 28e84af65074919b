package dev.lain.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Whatever a request does with a token, no log line holds its secret. */
class TokenNotLoggedTest {
  ConsoleHarness h;
  ListAppender<ILoggingEvent> appender;
  Logger root;

  @BeforeEach
  void start() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    h = new ConsoleHarness();
  }

  @AfterEach
  void stop() {
    h.close();
    root.detachAppender(appender);
  }

  private static String secretOf(String token) {
    return token.substring("lain_0123456789abcdef_".length());
  }

  @Test
  void noTokenSecretAppearsInAnyLogLine() {
    List<String> tokens = new ArrayList<>();
    tokens.add(h.adminToken);
    String dev = h.user("dev");
    tokens.add(dev);
    tokens.add(h.post("/api/v1/users/dev/tokens", dev, null).json().path("token").asText());
    tokens.add(
        h.post("/api/v1/users", h.adminToken, "{\"name\":\"ops\",\"admin\":true}")
            .json()
            .path("token")
            .asText());
    String forged = dev.substring(0, dev.length() - 2) + "zz";
    tokens.add(forged);

    h.repo("hello", dev);
    h.post("/api/v1/apps", dev, "{\"appname\":\"hello\"}");
    h.call("PATCH", "/api/v1/apps/hello/procs/web", forged, "{\"num_instances\":1}");
    h.call("PATCH", "/api/v1/apps/hello/procs/web", dev, "{\"num_instances\":-1}");
    h.call("DELETE", "/api/v1/apps/hello", dev, null);
    h.send(
        HttpRequest.newBuilder(h.uri("/api/v1/apps/hello"))
            .header("Authorization", "Bearer " + forged)
            .PUT(HttpRequest.BodyPublishers.ofString("{}"))
            .build());
    h.post("/api/v1/nothing", dev, "{\"token\":\"" + dev + "\"}");
    h.post("/api/v1/repos", dev, "{\"appname\":\"" + dev + "\"}");
    h.call("DELETE", "/api/v1/users/ops/tokens/" + dev, h.adminToken, null);

    assertThat(appender.list).as("the requests were logged at all").isNotEmpty();
    for (ILoggingEvent event : appender.list) {
      String text = event.getFormattedMessage() + throwableText(event.getThrowableProxy());
      for (String token : tokens) {
        assertThat(text).doesNotContain(secretOf(token));
      }
    }
    // And the audit log, which holds every one of those requests.
    h.store
        .list("/lain/console/audit/")
        .entries()
        .forEach(kv -> tokens.forEach(t -> assertThat(kv.value()).doesNotContain(secretOf(t))));
  }

  private static String throwableText(IThrowableProxy proxy) {
    StringBuilder out = new StringBuilder();
    for (IThrowableProxy p = proxy; p != null; p = p.getCause()) {
      out.append(' ').append(p.getClassName()).append(": ").append(p.getMessage());
    }
    return out.toString();
  }
}
