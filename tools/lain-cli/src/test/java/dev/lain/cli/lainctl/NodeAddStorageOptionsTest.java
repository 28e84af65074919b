package dev.lain.cli.lainctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.nodeinstall.BootstrapStorageStep;
import dev.lain.nodeinstall.NodeAddress;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.store.Store;
import dev.lain.store.Stores;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code node add --docker-device} tells the node's bootstrap, read from the store. */
class NodeAddStorageOptionsTest {
  @Test
  void theClusterDomainMirrorAndContainerPoolComeFromTheStore() {
    try (Store store = Stores.open("memory:")) {
      ClusterConfigStore config = new ClusterConfigStore(store);
      config.set(ConfigKey.DOMAIN, "example.org");
      config.set(ConfigKey.REGISTRY_MIRROR, "https://mirror.example.com/");
      config.set(ConfigKey.NODE_NETWORK, "192.168.77.0/24");
      new ContainerNetworks(store)
          .define(
              new NetworkSettings(new AddressPool(Cidr.parse("10.64.0.0/16"), 24), true),
              List.of());
      NodeCommand.Add add = new NodeCommand.Add();
      add.dockerDevice = "/dev/vdb";
      add.forceDevice = true;

      BootstrapStorageStep.Options options = add.storageOptions(store);

      assertThat(options)
          .isEqualTo(
              new BootstrapStorageStep.Options(
                  Optional.of("example.org"),
                  Optional.of("https://mirror.example.com"),
                  Optional.of("192.168.77.0/24"),
                  Optional.of("10.64.0.0/16"),
                  true,
                  false));
    }
  }

  @Test
  void withoutConfigurationTheDefaultDomainAndNoMirrorArePassed() {
    try (Store store = Stores.open("memory:")) {
      NodeCommand.Add add = new NodeCommand.Add();
      add.dockerDevice = "/dev/vdb";
      add.agentMode = "pid-file";

      BootstrapStorageStep.Options options = add.storageOptions(store);

      assertThat(options.registryMirror()).isEmpty();
      assertThat(options.force()).isFalse();
      assertThat(options.noSystemd()).isTrue();
      assertThat(
              new BootstrapStorageStep(
                      dev.lain.model.node.NodeLayout.standard("/opt/lain"),
                      options,
                      Optional.of("/dev/vdb"),
                      line -> {})
                  .command(NodeAddress.parse("node3:10.0.0.3"), true))
          .startsWith(
              "'/opt/lain/scripts/lib/launch' 'dev.lain.bootstrap.BootstrapMain' '--execute'"
                  + " '--storage-only' '--docker-device' '/dev/vdb' '--node-ip' '10.0.0.3'");
    }
  }
}
