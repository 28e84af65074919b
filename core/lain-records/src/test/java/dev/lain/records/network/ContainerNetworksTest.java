package dev.lain.records.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.RecordException;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.store.MemoryStore;
import dev.lain.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContainerNetworksTest {
  private static final List<AddressPool.Reserved> DOCKER =
      List.of(new AddressPool.Reserved("Docker's bridge", Cidr.parse("172.17.0.0/16")));

  private final Store store = new MemoryStore();
  private final ContainerNetworks networks = new ContainerNetworks(store);

  @AfterEach
  void close() {
    store.close();
  }

  private static NetworkSettings settings(String network, int block, boolean ipip) {
    return new NetworkSettings(new AddressPool(Cidr.parse(network), block), ipip);
  }

  @Test
  void definingTheSameNetworkAgainChangesNothing() {
    NetworkSettings wanted = settings("172.20.0.0/16", 24, false);
    networks.define(wanted, DOCKER);
    long revision = store.list("/lain/").revision();

    assertThat(networks.define(wanted, DOCKER)).isEqualTo(wanted);
    assertThat(store.list("/lain/").revision()).isEqualTo(revision);
    assertThat(networks.settings()).contains(wanted);
  }

  @Test
  void aPoolThatOverlapsTheNodeNetworkIsRefusedAndNothingIsWritten() {
    new ClusterConfigStore(store).set(ConfigKey.NODE_NETWORK, "172.20.5.0/24");
    long revision = store.list("/lain/").revision();

    assertThatThrownBy(() -> networks.define(settings("172.20.0.0/16", 24, false), DOCKER))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.code()).isEqualTo(RecordException.Code.INVALID);
              assertThat(e.getMessage())
                  .contains("172.20.0.0/16 overlaps the node network 172.20.5.0/24");
            });
    assertThatThrownBy(() -> networks.define(settings("172.16.0.0/12", 24, false), DOCKER))
        .hasMessageContaining("overlaps Docker's bridge 172.17.0.0/16");
    assertThat(store.list("/lain/").revision()).isEqualTo(revision);
    assertThat(networks.settings()).isEmpty();
  }

  @Test
  void thePoolCannotChangeOnceNodesHoldBlocksButIpipCan() {
    networks.define(settings("172.20.0.0/16", 24, false), DOCKER);
    networks.assign("node1", "192.168.77.21");

    assertThatThrownBy(() -> networks.define(settings("10.20.0.0/16", 24, false), DOCKER))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.code()).isEqualTo(RecordException.Code.CONFLICT);
              assertThat(e.getMessage())
                  .contains("is 172.20.0.0/16 (a /24 per node) and nodes hold blocks of it")
                  .contains("cannot become 10.20.0.0/16");
            });
    assertThat(networks.define(settings("172.20.0.0/16", 24, true), DOCKER).ipip()).isTrue();
    assertThat(networks.settings().orElseThrow().ipip()).isTrue();
  }

  @Test
  void aNodeKeepsItsBlockWhenItJoinsAgainAndAFreedBlockIsGivenAgain() {
    networks.define(settings("172.20.0.0/16", 24, false), DOCKER);
    NodeBlock one = networks.assign("node1", "192.168.77.21");
    NodeBlock two = networks.assign("node2", "192.168.77.22");

    assertThat(one.network()).hasToString("172.20.0.0/24");
    assertThat(one.gateway()).isEqualTo("172.20.0.1");
    assertThat(two.network()).hasToString("172.20.1.0/24");
    assertThat(networks.assign("node1", "192.168.77.21")).isEqualTo(one);

    assertThat(networks.release("node1")).contains(one);
    assertThat(networks.release("node1")).isEmpty();
    assertThat(networks.assign("node3", "192.168.77.23").network()).isEqualTo(one.network());
    assertThat(networks.blocks()).extracting(NodeBlock::node).containsExactly("node3", "node2");
  }

  @Test
  void anExhaustedPoolRefusesTheNextNodeAndWritesNothing() {
    networks.define(settings("10.8.0.0/23", 24, false), DOCKER);
    networks.assign("node1", "192.168.77.21");
    networks.assign("node2", "192.168.77.22");
    long revision = store.list("/lain/").revision();

    assertThatThrownBy(() -> networks.assign("node3", "192.168.77.23"))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.code()).isEqualTo(RecordException.Code.INVALID);
              assertThat(e.getMessage())
                  .contains("10.8.0.0/23 is exhausted: all 2 /24 blocks are held by nodes")
                  .contains("node1, node2");
            });
    assertThat(store.list("/lain/").revision()).isEqualTo(revision);
  }

  @Test
  void aBlockIsNeverGivenTwiceWhenNodesJoinAtOnce() throws InterruptedException {
    networks.define(settings("172.20.0.0/16", 24, false), DOCKER);
    int nodes = 16;
    CountDownLatch go = new CountDownLatch(1);
    Set<Cidr> given = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String node = "node" + i;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    given.add(
                        networks.assign(node, "192.168.77." + (10 + node.length())).network());
                  }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(given).hasSize(nodes);
    assertThat(networks.blocks()).hasSize(nodes);
  }

  @Test
  void assigningBeforeTheNetworkIsDefinedSaysSo() {
    assertThatThrownBy(() -> networks.assign("node1", "192.168.77.21"))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.code()).isEqualTo(RecordException.Code.NOT_FOUND);
              assertThat(e.getMessage()).contains("no container network yet");
            });
  }

  @Test
  void aBlockRecordWrittenByHandThatDoesNotReadStillCountsAsTaken() {
    networks.define(settings("10.8.0.0/23", 24, false), DOCKER);
    store.put(ContainerNetworks.BLOCKS_PREFIX + "10.8.0.0-24", "not json");

    assertThat(networks.assign("node1", "192.168.77.21").network()).hasToString("10.8.1.0/24");
    assertThat(networks.blocks()).hasSize(1);
  }
}
