package dev.lain.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EtcdClusterTest {

  @Test
  void threeMembersElectALeaderAndAnotherOneWhenItIsKilledKeepingTheData() {
    try (EtcdCluster cluster = EtcdCluster.start(3)) {
      assertThat(cluster.url())
          .matches("etcd://127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+");
      EtcdServer first = cluster.members().get(0);
      first.etcdctl("put", "/testkit/cluster", "kept");
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leader().isPresent());
      EtcdServer leader = cluster.leader().orElseThrow();

      leader.kill();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> cluster.leader().filter(m -> m != leader).isPresent());
      EtcdServer survivor = cluster.members().stream().filter(m -> m != leader).findFirst().get();
      assertThat(survivor.etcdctl("get", "/testkit/cluster", "--print-value-only"))
          .isEqualTo("kept\n");
      leader.start();
      assertThat(leader.etcdctl("get", "/testkit/cluster", "--print-value-only"))
          .isEqualTo("kept\n");
    }
  }
}
