package dev.lain.router.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouterSettingsTest {
  private static final RouterSettings.Tuning T = RouterSettings.Tuning.DEFAULT;

  @Test
  void listensThatNginxCouldNotBindTogetherAreRejected() {
    assertThatThrownBy(
            () ->
                new RouterSettings(
                    Listen.any(80),
                    Listen.any(443),
                    new Listen("10.0.0.1", 80),
                    Listen.any(8443),
                    "/ssl",
                    "off",
                    T))
        .hasMessageContaining("overlap");
    assertThatThrownBy(
            () ->
                new RouterSettings(
                    Listen.any(80),
                    Listen.any(443),
                    Listen.any(80),
                    Listen.any(8443),
                    "/ssl",
                    "off",
                    T))
        .hasMessageContaining("overlap");
  }

  @Test
  void separateAddressesMayShareAPort() {
    RouterSettings settings =
        new RouterSettings(
            new Listen("10.0.0.5", 80),
            new Listen("10.0.0.5", 443),
            new Listen("203.0.113.7", 80),
            new Listen("203.0.113.7", 443),
            "/ssl/",
            "/var/log/access.log",
            T);
    assertThat(settings.certificateDir()).isEqualTo("/ssl");
    assertThat(new Listen("::1", 80).nginx()).isEqualTo("[::1]:80");
    assertThat(new Listen("*", 80).nginx()).isEqualTo("*:80");
  }

  @Test
  void pathsThatCouldBreakTheConfigAreRejected() {
    assertThatThrownBy(() -> RouterSettings.production("/ssl; include /x", "off"))
        .hasMessageContaining("certificateDir");
    assertThatThrownBy(() -> RouterSettings.production("relative/ssl", "off"))
        .hasMessageContaining("certificateDir");
    assertThatThrownBy(() -> RouterSettings.production("/ssl", "/var/log/$host.log"))
        .hasMessageContaining("accessLog");
    RouterSettings ok = RouterSettings.production("/ssl", "off");
    assertThatThrownBy(() -> NginxRenderer.mainConfig(ok, "/run/x.pid", "/log", "/r {", "/tmp"))
        .hasMessageContaining("routesFile");
    assertThatThrownBy(() -> NginxRenderer.mainConfig(ok, "x.pid", "/log", "/r", "/tmp"))
        .hasMessageContaining("pidFile");
  }

  @Test
  void listenAddressesMustBeIpLiterals() {
    assertThatThrownBy(() -> new Listen("localhost", 80)).hasMessageContaining("not '*' or an IP");
    assertThatThrownBy(() -> new Listen("[::1]", 80)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Listen("0.0.0.0", 0)).hasMessageContaining("port 0");
  }

  @Test
  void tuningIsBounded() {
    assertThatThrownBy(() -> T.withWorkerProcesses(-1)).hasMessageContaining("workerProcesses");
    assertThatThrownBy(() -> T.withWorkerShutdownTimeout(Duration.ZERO))
        .hasMessageContaining("workerShutdownTimeout");
    assertThat(NginxRenderer.nginxTime(Duration.ofMillis(2500))).isEqualTo("2500ms");
    assertThat(NginxRenderer.nginxTime(Duration.ofMinutes(15))).isEqualTo("900s");
  }
}
