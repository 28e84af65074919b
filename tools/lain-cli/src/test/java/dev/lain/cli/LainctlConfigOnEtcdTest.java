package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.testkit.EtcdServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's promise: etcdctl shows exactly what lainctl wrote. */
class LainctlConfigOnEtcdTest {

  @Test
  void etcdctlShowsExactlyWhatLainctlConfigSetWrote() {
    EtcdServer etcd = EtcdServer.shared();
    Map<String, String> env = Map.of("LAIN_STORE", etcd.url());

    CliRun set = CliRun.lainctl(env, "config", "set", "extra_domains", "[\"example.com\"]");

    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(etcd.etcdctl("get", "/lain/config/extra_domains", "--print-value-only").strip())
        .isEqualTo("[\"example.com\"]");
  }

  @Test
  void lainctlReadsWhatEtcdctlWroteAndFlagsItWhenUnusable() {
    EtcdServer etcd = EtcdServer.shared();
    etcd.etcdctl("put", "/lain/config/ssl", "{\"*.lain.local\":\"web\"}");
    etcd.etcdctl("put", "/lain/config/vip", "not-an-ip");
    Map<String, String> env = Map.of("LAIN_STORE", etcd.url());

    assertThat(CliRun.lainctl(env, "config", "get", "ssl").out())
        .isEqualTo("{\"*.lain.local\":\"web\"}\n");
    CliRun vip = CliRun.lainctl(env, "config", "get", "vip");
    assertThat(vip.exitCode()).isEqualTo(1);
    assertThat(vip.err()).contains("unusable").contains("0.0.0.0 instead");
  }
}
