package dev.lain.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DockerDaemonTest {

  @Test
  void privateDaemonRunsBusyboxServingHttpOnALoopbackAddressAndCleansUpOnClose() throws Exception {
    Path dir;
    String bridge;
    try (DockerDaemon daemon = DockerDaemon.startPrivate()) {
      dir = daemon.directory();
      bridge = Files.readString(dir.resolve("bridge")).strip();
      assertThat(daemon.socketUri().getPath()).hasSizeLessThan(60);
      assertThat(Path.of("/sys/class/net", bridge)).exists();

      String image = BusyboxImage.in(daemon);
      DockerClient docker = daemon.client();
      String id =
          docker
              .createContainerCmd(image)
              .withCmd("httpd", "-f", "-p", "8080", "-h", "/www")
              .withExposedPorts(ExposedPort.tcp(8080))
              .withHostConfig(
                  HostConfig.newHostConfig()
                      .withInit(true)
                      .withPortBindings(PortBinding.parse("127.77.3.4:28080:8080")))
              .exec()
              .getId();
      docker.startContainerCmd(id).exec();

      assertThat(get(URI.create("http://127.77.3.4:28080/"))).isEqualTo(BusyboxImage.INDEX_HTML);
      assertThat(docker.listContainersCmd().withShowAll(true).exec()).hasSize(1);
    }
    assertThat(dir).doesNotExist();
    assertThat(Path.of("/sys/class/net", bridge)).doesNotExist();
    assertThat(Path.of("/sys/fs/cgroup/memory", bridge)).doesNotExist();
    assertThat(Path.of("/sys/fs/cgroup", bridge)).doesNotExist();
  }

  @Test
  void stoppedDaemonStartsAgainWithItsContainersAndImages() {
    try (DockerDaemon daemon = DockerDaemon.startPrivate()) {
      String image = BusyboxImage.in(daemon);
      String id = daemon.client().createContainerCmd(image).withCmd("true").exec().getId();

      daemon.stop();
      assertThat(daemon.isRunning()).isFalse();
      daemon.start();

      assertThat(daemon.client().inspectContainerCmd(id).exec().getId()).isEqualTo(id);
    }
  }

  @Test
  void sharedDaemonIsOnePerJvm() {
    assertThat(DockerDaemon.shared()).isSameAs(DockerDaemon.shared());
    assertThat(DockerDaemon.shared().isRunning()).isTrue();
  }

  @Test
  void subnetsOverlapWhenOneContainsTheOther() {
    assertThat(DockerDaemon.overlaps("10.213.5.0/24", "10.213.5.1/32")).isTrue();
    assertThat(DockerDaemon.overlaps("10.0.0.0/8", "10.213.5.0/24")).isTrue();
    assertThat(DockerDaemon.overlaps("0.0.0.0/0", "10.213.5.0/24")).isTrue();
    assertThat(DockerDaemon.overlaps("10.213.6.0/24", "10.213.5.0/24")).isFalse();
    assertThat(DockerDaemon.overlaps("192.0.2.2", "10.213.5.0/24")).isFalse();
  }

  private static String get(URI uri) throws IOException, InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    IOException last = new IOException("no attempt");
    // The proxy listens once the container started; httpd may take a moment to bind.
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
            .body();
      } catch (IOException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }
}
