package dev.lain.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EtcdServerTest {

  @Test
  void sharedServerIsOnePerJvmAndAnswersEtcdctl() {
    EtcdServer etcd = EtcdServer.shared();

    assertThat(EtcdServer.shared()).isSameAs(etcd);
    assertThat(etcd.url()).isEqualTo("etcd://127.0.0.1:" + etcd.clientPort());
    assertThat(etcd.clientEndpoint()).isEqualTo("http://127.0.0.1:" + etcd.clientPort());
    etcd.etcdctl("put", "/testkit/shared", "héllo wörld");
    assertThat(etcd.etcdctl("get", "/testkit/shared", "--print-value-only"))
        .isEqualTo("héllo wörld\n");
  }

  @Test
  void stopAndStartKeepTheData() {
    try (EtcdServer etcd = EtcdServer.startPrivate()) {
      etcd.etcdctl("put", "/testkit/a", "1");

      etcd.stop();
      assertThat(etcd.isRunning()).isFalse();
      assertThatThrownBy(() -> etcd.etcdctl("--dial-timeout=1s", "get", "/testkit/a"))
          .isInstanceOf(IllegalStateException.class);
      etcd.start();

      assertThat(etcd.etcdctl("get", "/testkit/a", "--print-value-only")).isEqualTo("1\n");
    }
  }

  @Test
  void killAndStartKeepTheData() {
    try (EtcdServer etcd = EtcdServer.startPrivate()) {
      etcd.etcdctl("put", "/testkit/b", "2");

      etcd.kill();
      etcd.start();

      assertThat(etcd.etcdctl("get", "/testkit/b", "--print-value-only")).isEqualTo("2\n");
    }
  }

  @Test
  void closeDeletesTheDataDirectory() {
    Path dir;
    try (EtcdServer etcd = EtcdServer.startPrivate()) {
      dir = etcd.directory();
      assertThat(dir.resolve("etcd.log")).exists();
    }
    assertThat(Files.exists(dir)).isFalse();
  }
}
