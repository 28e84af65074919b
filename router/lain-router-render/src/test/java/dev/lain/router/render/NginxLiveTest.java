package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.lain.model.ClusterDomains;
import dev.lain.testkit.LoopbackHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real requests through a real nginx running the rendered config, against small HTTP backends that
 * echo what they received. Skipped where nginx is not installed.
 */
class NginxLiveTest {
  @TempDir Path temp;

  private final List<HttpServer> backends = new ArrayList<>();
  private Process nginx;
  private RouterSettings settings;

  @BeforeEach
  void startNginx() throws Exception {
    NginxSupport.assumeNginxAndOpenssl();
    List<Integer> ports = LoopbackHttp.freePorts(4);
    settings =
        NginxSupport.inPrefix(
            new RouterSettings(
                new Listen("127.0.0.1", ports.get(0)),
                new Listen("127.0.0.1", ports.get(1)),
                new Listen("127.0.0.1", ports.get(2)),
                new Listen("127.0.0.1", ports.get(3)),
                "/unused",
                "off",
                RouterSettings.Tuning.DEFAULT.withWorkerProcesses(1)),
            temp);
    RouteTable table =
        new RouteTable(
            1,
            ClusterDomains.DEFAULT,
            List.of(
                route("hello.web.web", "hello.lain.local", "", false),
                route("hello.web.admin", "hello.lain.local", "/admin", false),
                route("shop.web.web", "shop.com", "", false),
                route("api.web.web", "api.shop.com", "", false),
                route("secure.web.web", "secure.lain.local", "", true),
                new Route("down.web.web", "down.lain.local", "", false, List.of())),
            Map.of("*.lain.local", "web"),
            Set.of("web"));
    RenderedConfig rendered = NginxRenderer.render(table, settings);
    assertThat(rendered.warnings()).isEmpty();
    Path main = NginxSupport.prepare(temp, settings, rendered);
    nginx =
        new ProcessBuilder(NginxSupport.nginx(temp, main, "-g", "daemon off;"))
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("nginx.out").toFile())
            .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!LoopbackHttp.accepts(settings.externalHttps().port())) {
      if (!nginx.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "nginx did not start: " + Files.readString(temp.resolve("nginx.out")));
      }
      Thread.sleep(20);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (nginx != null) {
      nginx.destroy();
      nginx.waitFor();
    }
    backends.forEach(b -> b.stop(0));
  }

  @Test
  void aHostIsServedWithItsSubDomainsAndAPathMountHasItsPrefixStripped() throws IOException {
    int internal = settings.internalHttp().port();
    assertThat(get(internal, "hello.lain.local", "/x?y=1"))
        .contains("name=hello.web.web uri=/x?y=1");
    assertThat(get(internal, "a.b.hello.lain.local", "/")).contains("name=hello.web.web uri=/ ");
    assertThat(get(internal, "hello.lain.local", "/admin/users?id=2"))
        .contains("name=hello.web.admin uri=/users?id=2");
    assertThat(get(internal, "hello.lain.local", "/admin?id=2"))
        .contains("name=hello.web.admin uri=/?id=2");
    assertThat(get(internal, "hello.lain.local", "/administrator"))
        .contains("name=hello.web.web uri=/administrator");
  }

  @Test
  void theExactHostWinsOverTheWiderOne() throws IOException {
    int external = settings.externalHttp().port();
    assertThat(get(external, "api.shop.com", "/")).contains("name=api.web.web");
    assertThat(get(external, "v2.api.shop.com", "/")).contains("name=api.web.web");
    assertThat(get(external, "www.shop.com", "/")).contains("name=shop.web.web");
    assertThat(get(external, "shop.com", "/")).contains("name=shop.web.web");
  }

  @Test
  void internalHostsAreNotServedOnTheExternalListens() throws IOException {
    assertThat(get(settings.internalHttp().port(), "shop.com", "/")).contains("name=shop.web.web");
    assertThat(get(settings.externalHttp().port(), "hello.lain.local", "/"))
        .startsWith("HTTP/1.1 404")
        .contains("no app is mounted at hello.lain.local");
  }

  @Test
  void unknownHostsAndProcsWithoutInstancesGetAShortText() throws IOException {
    assertThat(get(settings.internalHttp().port(), "nobody.example.org", "/"))
        .startsWith("HTTP/1.1 404")
        .contains("Content-Type: text/plain")
        .endsWith("no app is mounted at nobody.example.org\n");
    assertThat(get(settings.internalHttp().port(), "down.lain.local", "/x"))
        .startsWith("HTTP/1.1 503")
        .endsWith("no healthy instance of down.web.web\n");
  }

  @Test
  void httpsOnlyRedirectsPlainHttpUnlessTlsWasTerminatedInFront() throws IOException {
    int internal = settings.internalHttp().port();
    assertThat(get(internal, "secure.lain.local", "/p?q=1"))
        .startsWith("HTTP/1.1 301")
        .contains("Location: https://secure.lain.local/p?q=1");
    assertThat(get(internal, "secure.lain.local", "/p", "X-Forwarded-Proto: https"))
        .contains("name=secure.web.web uri=/p proto=https");
    assertThat(get(internal, "hello.lain.local", "/")).contains("proto=http ");
  }

  @Test
  void tlsIsServedForHostsWithACertificateAndRefusedForOthers() throws Exception {
    int https = settings.internalHttps().port();
    assertThat(tlsGet(https, "secure.lain.local", "/p"))
        .contains("name=secure.web.web uri=/p proto=https");
    assertThatThrownBy(() -> tlsGet(https, "shop.com", "/")).isInstanceOf(IOException.class);
  }

  private Route route(String podGroup, String host, String path, boolean httpsOnly) {
    HttpServer server = LoopbackHttp.echo(podGroup);
    backends.add(server);
    return new Route(
        podGroup,
        host,
        path,
        httpsOnly,
        List.of(new Backend("127.0.0.1", server.getAddress().getPort())));
  }

  private static String get(int port, String host, String path, String... headers)
      throws IOException {
    return LoopbackHttp.get(port, host, path, headers);
  }

  private static String tlsGet(int port, String host, String path) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    return LoopbackHttp.tlsGet(context, port, host, path);
  }

  /** Test-only: the certificates are self-signed and made by this test. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
