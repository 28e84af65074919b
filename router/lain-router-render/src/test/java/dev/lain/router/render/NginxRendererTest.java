package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.ClusterDomains;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Single behaviours by name; the golden files show whole configs. */
class NginxRendererTest {
  private static final RouterSettings S = GoldenCases.TEST_SETTINGS;
  private static final Backend B = new Backend("172.20.0.5", 80);

  private static RenderedConfig render(Route... routes) {
    return NginxRenderer.render(RouteTable.of(9, ClusterDomains.DEFAULT, List.of(routes)), S);
  }

  @Test
  void aConflictIsWonByTheSmallerPodGroupWhateverTheOrder() {
    Route z = new Route("zeta.web.web", "x.com", "", false, List.of(B));
    Route a =
        new Route("alpha.web.web", "x.com", "", false, List.of(new Backend("172.20.0.6", 80)));
    RenderedConfig one = render(z, a);
    assertThat(one).isEqualTo(render(a, z));
    assertThat(one.httpConf()).contains("proxy_pass http://alpha.web.web;");
    assertThat(one.httpConf()).as("the loser gets no upstream").doesNotContain("zeta.web.web");
    assertThat(one.warnings())
        .containsExactly(
            "mountpoint x.com is claimed by alpha.web.web, zeta.web.web: serving alpha.web.web"
                + " (the first by name)");
  }

  @Test
  void aProcWithoutHealthyInstancesAnswers503AndHasNoUpstream() {
    RenderedConfig rendered =
        render(new Route("hello.web.web", "hello.lain.local", "", false, List.of()));
    assertThat(rendered.httpConf())
        .doesNotContain("upstream ")
        .contains("return 503 \"no healthy instance of hello.web.web\\n\";");
    assertThat(rendered.warnings()).isEmpty();
  }

  @Test
  void httpsOnlyFromAnyDuplicateOfTheSameProcWins() {
    RenderedConfig rendered =
        render(
            new Route("hello.web.web", "hello.lain.local", "", false, List.of(B)),
            new Route("hello.web.web", "hello.lain.local", "", true, List.of(B)));
    assertThat(rendered.httpConf()).contains("if ($lain_redirect_to_https)");
    assertThat(rendered.warnings()).isEmpty();
  }

  @Test
  void httpsOnlyAppliesToExternalHostsToo() {
    assertThat(render(new Route("shop.web.web", "shop.com", "", true, List.of(B))).httpConf())
        .contains("return 301 https://$host$request_uri;");
  }

  @Test
  void aHostWithOnlyPathMountsAnswers404AtItsRoot() {
    assertThat(
            render(new Route("h.web.admin", "h.lain.local", "/admin", false, List.of(B)))
                .httpConf())
        .contains("return 404 \"no app is mounted at this path of $host\\n\";")
        .contains("location = /admin {")
        .contains("location /admin/ {");
  }

  @Test
  void backendsOfAPodGroupAreMergedOverItsMountpoints() {
    String conf =
        render(
                new Route("h.web.web", "h.lain.local", "", false, List.of(B)),
                new Route("h.web.web", "h.lain", "", false, List.of(new Backend("172.20.0.6", 80))))
            .httpConf();
    assertThat(conf).contains("    server 172.20.0.5:80;\n    server 172.20.0.6:80;\n");
  }

  @Test
  void certificatesUsedAndMissingOnesAreReported() {
    RenderedConfig rendered =
        NginxRenderer.render(
            new RouteTable(
                1,
                ClusterDomains.DEFAULT,
                List.of(
                    new Route("h.web.web", "h.lain.local", "", false, List.of(B)),
                    new Route("h.web.web", "h.com", "", false, List.of(B))),
                Map.of("*.lain.local", "web", "h.com", "hcom"),
                Set.of("web")),
            S);
    assertThat(rendered.certificatesUsed()).containsExactly("web");
    assertThat(rendered.warnings())
        .containsExactly(
            "ssl pattern 'h.com' names certificate 'hcom', which is not installed; hosts it would"
                + " serve: h.com");
    assertThat(rendered.httpConf()).contains("ssl_certificate /etc/lain/router/ssl/web.crt;");
  }

  @Test
  void theStoreRevisionIsInTheHeader() {
    assertThat(render().httpConf()).startsWith("# Routes of store revision 9,");
  }
}
