package dev.lain.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lain.store.Membership;
import dev.lain.store.Store;
import dev.lain.store.StoreException;
import dev.lain.store.StoreMember;
import dev.lain.store.Stores;
import dev.lain.testkit.EtcdCluster;
import dev.lain.testkit.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Members join as learners, are promoted once caught up, and leave only keeping a quorum. */
class EtcdMembershipTest {

  @Test
  void aLearnerJoinsCatchesUpIsPromotedAndLeavesAgain() {
    try (EtcdCluster cluster = EtcdCluster.start(3);
        Store store = Stores.open(cluster.url());
        EtcdServer fourth = EtcdServer.newMember("member4")) {
      for (int i = 0; i < 100; i++) {
        store.put("/membership-test/" + i, "v" + i);
      }
      Membership membership = store.membership().orElseThrow();

      String initialCluster = membership.addLearner("member4", fourth.peerUri());
      assertThat(initialCluster).contains("member4=" + fourth.peerUri()).contains("member1=");
      assertThatThrownBy(() -> membership.addLearner("member4", fourth.peerUri()))
          .isInstanceOf(StoreException.class)
          // Not started yet, it has no name in etcd's list: its peer URL gives it away.
          .hasMessageContaining("listens at " + fourth.peerUri() + " already");
      fourth.join(initialCluster);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  store.members().stream()
                      .anyMatch(
                          m -> m.name().equals("member4") && m.learner() && m.problem().isEmpty()));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreException(StoreException.class)
          .until(
              () -> {
                membership.promote("member4");
                return true;
              });

      assertThat(store.members())
          .hasSize(4)
          .filteredOn(m -> m.name().equals("member4"))
          .singleElement()
          .satisfies(m -> assertThat(m.learner()).isFalse());
      assertThat(fourth.etcdctl("get", "/membership-test/99", "--print-value-only"))
          .isEqualTo("v99\n");

      membership.remove("member4");
      assertThat(store.members()).extracting(StoreMember::name).doesNotContain("member4");
    }
  }

  @Test
  void aRemovalThatWouldLoseTheQuorumIsRefusedAndTheDeadMemberMayGo() {
    try (EtcdCluster cluster = EtcdCluster.start(3);
        Store store = Stores.open(cluster.url())) {
      EtcdServer leader = cluster.leader().orElseThrow();
      EtcdServer dead =
          cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
      EtcdServer healthy =
          cluster.members().stream()
              .filter(m -> m != leader && m != dead)
              .findFirst()
              .orElseThrow();
      dead.kill();
      Membership membership = store.membership().orElseThrow();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  store.members().stream()
                      .anyMatch(m -> m.name().equals(dead.name()) && m.problem().isPresent()));

      assertThatThrownBy(() -> membership.remove(healthy.name()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("would leave 1 healthy of 2 voting members");
      assertThat(store.members()).hasSize(3);

      membership.remove(dead.name());
      assertThat(store.members()).extracting(StoreMember::name).doesNotContain(dead.name());
      store.put("/membership-test/after", "ok");
    }
  }
}
