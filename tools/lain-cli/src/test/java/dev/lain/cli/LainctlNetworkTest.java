package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LainctlNetworkTest {
  @TempDir Path dir;
  private Map<String, String> env;

  @BeforeEach
  void useATemporaryEmbeddedStore() {
    env = CliRun.nodeWithEmbeddedStore(dir);
  }

  private CliRun lainctl(String... args) {
    return CliRun.lainctl(env, args);
  }

  private void define() {
    try (Store store = Stores.open("embedded:" + dir.resolve("store.db"))) {
      ContainerNetworks networks = new ContainerNetworks(store);
      networks.define(
          new NetworkSettings(new AddressPool(Cidr.parse("172.20.0.0/16"), 24), false), List.of());
      networks.assign("node1", "10.0.0.11");
      networks.assign("node2", "10.0.0.12");
    }
  }

  @Test
  void showListsThePoolAndEveryNodesBlock() {
    assertThat(lainctl("network", "show").out())
        .isEqualTo("The cluster has no container network: instances publish host ports.\n");
    define();

    CliRun show = lainctl("network", "show");

    assertThat(show.exitCode()).isZero();
    assertThat(show.out())
        .startsWith("container network 172.20.0.0/16 (a /24 per node): 2 of 256 blocks held\n")
        .containsPattern("172.20.0.0/24 +node1 +10.0.0.11 +172.20.0.1")
        .containsPattern("172.20.1.0/24 +node2 +10.0.0.12 +172.20.1.1");
  }

  @Test
  void ipipTurnsTheTunnelOnAndOffAndRefusesAnythingElse() {
    define();

    assertThat(lainctl("network", "ipip", "on").out())
        .isEqualTo("container network 172.20.0.0/16 (a /24 per node, tunnelled between nodes)\n");
    assertThat(lainctl("network", "ipip", "on").out()).isEqualTo("ipip is on already\n");
    assertThat(lainctl("network", "show").out()).contains("tunnelled between nodes");
    assertThat(lainctl("network", "ipip", "off").out())
        .isEqualTo("container network 172.20.0.0/16 (a /24 per node)\n");
    CliRun bad = lainctl("network", "ipip", "yes");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("lainctl network ipip takes on or off, not 'yes'");
  }
}
