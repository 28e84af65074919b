package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.lain.testkit.LocalRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry client against Debian's registry, with images pushed through the registry API itself
 * (OCI manifests and indexes, which docker 20.10 does not push), and against a scripted server for
 * answers a real registry rarely gives.
 */
class RegistryClientTest {
  private static final String LAIN_YAML = "appname: oci\nbuild:\n  base: x\n  script: [true]\n";
  private static LocalRegistry registry;
  private static RegistryClient client;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @BeforeAll
  static void start() {
    registry = LocalRegistry.start();
    client = new RegistryClient(registry.url(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void readsLainYamlFromAnOciManifestWithAGzipLayerAndThroughAnOciIndex() throws Exception {
    String manifest = pushImage("oci", "meta-" + Apps.V1, layer("lain.yaml", LAIN_YAML));
    String index =
        """
        {"schemaVersion": 2, "mediaType": "%s", "manifests": [
          {"mediaType": "%s", "digest": "%s", "size": %d,
           "platform": {"architecture": "amd64", "os": "linux"}}]}
        """
            .formatted(
                RegistryClient.OCI_INDEX,
                RegistryClient.OCI_MANIFEST,
                digest(manifest.getBytes(StandardCharsets.UTF_8)),
                manifest.getBytes(StandardCharsets.UTF_8).length);
    putManifest("oci", "meta-" + Apps.V2, RegistryClient.OCI_INDEX, index);

    assertThat(client.lainYaml("oci", Apps.V1)).isEqualTo(LAIN_YAML);
    assertThat(client.lainYaml("oci", Apps.V2)).isEqualTo(LAIN_YAML);
    assertThat(client.hasTag("oci", "meta-" + Apps.V2)).isTrue();
  }

  @Test
  void metaVersionsNeedBothMetaAndReleaseAndSkipOtherTagsNewestFirst() throws Exception {
    MetaVersion old = MetaVersion.parse("1600000000-" + "f".repeat(40));
    byte[] layer = layer("lain.yaml", LAIN_YAML);
    for (String tag :
        List.of(
            "meta-" + Apps.V1,
            "release-" + Apps.V1,
            "meta-" + old,
            "release-" + old,
            "meta-" + Apps.V2,
            "release-1900000000-" + "e".repeat(40),
            "meta-not-a-version",
            "release-not-a-version",
            "build-" + Apps.V2)) {
      pushImage("versions", tag, layer);
    }

    assertThat(client.metaVersions("versions")).containsExactly(Apps.V1, old);
    assertThat(client.tags("versions")).hasSize(9);
  }

  @Test
  void anImageWithoutLainYamlIsNotAMetaImage() throws Exception {
    pushImage("notmeta", "meta-" + Apps.V1, layer("etc/other.yaml", "x"));

    assertThatThrownBy(() -> client.lainYaml("notmeta", Apps.V1))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(BuildException.Code.NOT_A_META_IMAGE);
              assertThat(e).hasMessageContaining("notmeta:meta-" + Apps.V1);
            });
  }

  @Test
  void unknownRepositoryAndUnknownTagAreToldApart() throws Exception {
    pushImage("known", "meta-" + Apps.V1, layer("lain.yaml", LAIN_YAML));

    assertThatThrownBy(() -> client.tags("never-pushed"))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.code()).isEqualTo(BuildException.Code.REPOSITORY_UNKNOWN));
    assertThatThrownBy(() -> client.metaVersions("never-pushed"))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.code()).isEqualTo(BuildException.Code.REPOSITORY_UNKNOWN));
    assertThatThrownBy(() -> client.lainYaml("never-pushed", Apps.V1))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.code()).isEqualTo(BuildException.Code.REPOSITORY_UNKNOWN));
    assertThatThrownBy(() -> client.lainYaml("known", Apps.V2))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(BuildException.Code.TAG_UNKNOWN);
              assertThat(e).hasMessageContaining("known:meta-" + Apps.V2);
            });
    assertThat(client.hasTag("never-pushed", "meta-" + Apps.V1)).isFalse();
    assertThat(client.hasTag("known", "meta-" + Apps.V2)).isFalse();
    client.ping();
  }

  @Test
  void aRegistryThatDoesNotAnswerIsUnreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RegistryClient nobody = RegistryClient.forRegistry("127.0.0.1:" + port);

    assertThatThrownBy(nobody::ping)
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(BuildException.Code.REGISTRY_UNREACHABLE);
              assertThat(e).hasMessageContaining("http://127.0.0.1:" + port);
            });
    assertThatThrownBy(() -> nobody.metaVersions("app"))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.code()).isEqualTo(BuildException.Code.REGISTRY_UNREACHABLE));
  }

  @Test
  void followsTagListPagesAndReportsAuthenticationAndServerErrors() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v2/paged/tags/list",
        exchange -> {
          boolean second = "last=b".equals(exchange.getRequestURI().getRawQuery());
          String body =
              second
                  ? "{\"name\":\"paged\",\"tags\":[\"c\"]}"
                  : "{\"name\":\"paged\",\"tags\":[\"a\",\"b\"]}";
          if (!second) {
            exchange.getResponseHeaders().add("Link", "</v2/paged/tags/list?last=b>; rel=\"next\"");
          }
          send(exchange, 200, body);
        });
    server.createContext(
        "/v2/locked/tags/list",
        exchange -> send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}"));
    server.createContext("/v2/broken/tags/list", exchange -> send(exchange, 500, "disk full"));
    server.start();
    try {
      RegistryClient scripted =
          RegistryClient.forRegistry("127.0.0.1:" + server.getAddress().getPort());

      assertThat(scripted.tags("paged")).containsExactly("a", "b", "c");
      assertThatThrownBy(() -> scripted.tags("locked"))
          .isInstanceOfSatisfying(
              BuildException.class,
              e -> assertThat(e.code()).isEqualTo(BuildException.Code.REGISTRY_UNAUTHORIZED));
      assertThatThrownBy(() -> scripted.tags("broken"))
          .isInstanceOfSatisfying(
              BuildException.class,
              e -> {
                assertThat(e.code()).isEqualTo(BuildException.Code.REGISTRY_ERROR);
                assertThat(e).hasMessageContaining("500").hasMessageContaining("disk full");
              });
    } finally {
      server.stop(0);
    }
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** A gzip tar layer with one file. */
  private static byte[] layer(String path, String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(new GZIPOutputStream(out))) {
      tar.file(path, 0644, content);
    }
    return out.toByteArray();
  }

  /** Uploads a config and {@code layer}, puts an OCI manifest as {@code tag}; returns it. */
  private static String pushImage(String repository, String tag, byte[] layer) throws Exception {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    uploadBlob(repository, config);
    uploadBlob(repository, layer);
    String manifest =
        """
        {"schemaVersion": 2, "mediaType": "%s",
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s", "size": %d},
         "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": %d}]}
        """
            .formatted(
                RegistryClient.OCI_MANIFEST,
                digest(config),
                config.length,
                digest(layer),
                layer.length);
    putManifest(repository, tag, RegistryClient.OCI_MANIFEST, manifest);
    return manifest;
  }

  private static void uploadBlob(String repository, byte[] blob) throws Exception {
    HttpResponse<String> started =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(registry.url() + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    URI upload = URI.create(registry.url() + "/").resolve(location);
    String separator = upload.getRawQuery() == null ? "?" : "&";
    HttpResponse<String> done =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest(blob)))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
  }

  private static void putManifest(String repository, String tag, String mediaType, String body)
      throws Exception {
    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(registry.url() + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
  }

  private static String digest(byte[] content) throws Exception {
    return "sha256:"
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
