package dev.lain.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalRegistryTest {
  private final HttpClient http =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @Test
  void answersTheV2ApiOnLoopbackUntilClosedThenItsDirectoryIsGone() throws Exception {
    Path dir;
    URI v2;
    try (LocalRegistry registry = LocalRegistry.start()) {
      dir = registry.directory();
      v2 = URI.create(registry.url() + "/v2/");
      assertThat(registry.address()).isEqualTo("127.0.0.1:" + registry.port());
      assertThat(registry.isRunning()).isTrue();

      HttpResponse<String> ping = get(v2);
      assertThat(ping.statusCode()).isEqualTo(200);
      assertThat(ping.headers().firstValue("Docker-Distribution-Api-Version"))
          .hasValue("registry/2.0");
      HttpResponse<String> unknown = get(URI.create(registry.url() + "/v2/nothing/tags/list"));
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("NAME_UNKNOWN");
    }
    assertThat(Files.exists(dir)).isFalse();
    assertThatThrownBy(() -> get(v2)).isInstanceOf(ConnectException.class);
  }

  @Test
  void sharedRegistryIsOnePerJvm() {
    assertThat(LocalRegistry.shared()).isSameAs(LocalRegistry.shared());
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
