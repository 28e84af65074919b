package dev.lain.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lain.store.Store;
import dev.lain.store.StoreMember;
import dev.lain.store.Stores;
import dev.lain.testkit.EtcdCluster;
import dev.lain.testkit.EtcdServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The members a store URL naming every member of a real three-member etcd reports. */
class EtcdMembersTest {

  @Test
  void everyMemberWithOneLeaderAndAKilledOneUnreachableWhileTheStoreKeepsServing() {
    try (EtcdCluster cluster = EtcdCluster.start(3);
        Store store = Stores.open(cluster.url())) {
      store.put("/members-test/before", "1");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.members().stream().filter(StoreMember::leader).count() == 1);
      List<StoreMember> members = store.members();
      assertThat(members)
          .extracting(StoreMember::name)
          .containsExactlyInAnyOrder("member1", "member2", "member3");
      assertThat(members).allSatisfy(m -> assertThat(m.problem()).isEmpty());
      assertThat(members).allSatisfy(m -> assertThat(m.index()).isPresent());
      assertThat(members).noneMatch(StoreMember::learner);

      EtcdServer leader = cluster.leader().orElseThrow();
      leader.kill();

      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                List<StoreMember> now = store.members();
                return now.stream()
                        .anyMatch(m -> m.name().equals(leader.name()) && m.problem().isPresent())
                    && now.stream().filter(StoreMember::leader).count() == 1;
              });
      store.put("/members-test/after", "2");
      assertThat(store.get("/members-test/before")).isPresent();
    }
  }
}
