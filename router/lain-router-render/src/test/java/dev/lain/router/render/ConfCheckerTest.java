package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.ClusterDomains;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The property tests lean on {@link ConfChecker}: it must reject what an injection looks like. */
class ConfCheckerTest {
  private static String rendered() {
    return NginxRenderer.render(
            RouteTable.of(
                1,
                ClusterDomains.DEFAULT,
                List.of(
                    new Route(
                        "hello.web.web",
                        "hello.lain.local",
                        "/admin",
                        true,
                        List.of(new Backend("172.20.0.5", 80))))),
            GoldenCases.TEST_SETTINGS)
        .httpConf();
  }

  @Test
  void acceptsWhatTheRendererWrites() {
    assertThat(ConfChecker.check(rendered())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*.hello.lain.local;|*.hello.lain.local; } server { listen 1; server_name x *.x;",
        "*.hello.lain.local;|*.hello.lain.local.evil;",
        "proxy_pass http://hello.web.web/;|proxy_pass http://hello.web.web/; include /etc/passwd;",
        "location /admin/ {|location /admin/ { }",
        "return 404 \"no app is mounted at $host\\n\";|return 404 \"no app is mounted at $host\\n\"; add_header X y;",
        "upstream hello.web.web {|upstream hello.web.web { server 1.2.3.4:80 backup;",
        "    server 172.20.0.5:80;|    server 172.20.0.5:80; \"",
        "server_name _;|server_name _; # \u2028",
        "proxy_pass http://hello.web.web/;|proxy_pass http://evil.com/path;"
      })
  void rejectsInjectedText(String replacement) {
    String[] parts = replacement.split("\\|", 2);
    String conf = rendered();
    assertThat(conf).contains(parts[0]);
    assertThat(
            ConfChecker.check(
                conf.replaceFirst(
                    java.util.regex.Pattern.quote(parts[0]),
                    java.util.regex.Matcher.quoteReplacement(parts[1]))))
        .isNotEmpty();
  }
}
