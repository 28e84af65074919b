package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.testkit.EtcdCluster;
import dev.lain.testkit.EtcdServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code lainctl cluster health} on a real three-member etcd: a line per member. */
class LainctlClusterHealthOnEtcdTest {

  @Test
  void eachMemberIsShownWithItsRoleAndAKilledOneFails() {
    try (EtcdCluster cluster = EtcdCluster.start(3)) {
      Map<String, String> env = Map.of("LAIN_STORE", cluster.url());

      CliRun all = CliRun.lainctl(env, "cluster", "health");

      assertThat(all.out())
          .contains("ok    store: etcd at revision")
          .contains("ok    store members: 3, one leads")
          .containsPattern(
              "ok    store member member\\d http://127\\.0\\.0\\.1:\\d+: leader, index \\d+")
          .containsPattern(
              "ok    store member member\\d http://127\\.0\\.0\\.1:\\d+: follower, \\d+ entries behind the leader");
      EtcdServer follower =
          cluster.members().stream()
              .filter(m -> !m.equals(cluster.leader().orElseThrow()))
              .findFirst()
              .orElseThrow();
      follower.kill();

      CliRun one = CliRun.lainctl(env, "cluster", "health");

      assertThat(one.exitCode()).isEqualTo(ExitCode.FAILED);
      assertThat(one.out())
          .contains("ok    store members: 3, one leads")
          .contains("FAIL  store member " + follower.name() + " ")
          .contains("unreachable");
    }
  }
}
