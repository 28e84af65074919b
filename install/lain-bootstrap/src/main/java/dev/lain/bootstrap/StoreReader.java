package dev.lain.bootstrap;

import dev.lain.records.certs.CertificateStore;
import dev.lain.records.certs.CertificateSummary;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.console.ConsoleKeys;
import dev.lain.records.deployd.DeploydKeys;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.store.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what bootstrap needs to know from an existing cluster store. */
@FunctionalInterface
public interface StoreReader {
  /** What the store at {@code url} holds, or empty if there is none or it cannot be read. */
  Optional<Facts.StoreContents> read(String url);

  /** For machines and tests where no store is to be read. */
  StoreReader NONE = url -> Optional.empty();

  /**
   * What an open store holds that bootstrap cares about, read through lain-records: the one reading
   * behind the plan's decisions and the executor's checks when a step runs.
   *
   * @param now certificates expired by then cannot serve and are left out
   */
  static Facts.StoreContents contents(Store store, Instant now) {
    ClusterConfigStore config = new ClusterConfigStore(store);
    List<String> nodes =
        store.list(DeploydKeys.NODES).entries().stream()
            .map(kv -> kv.key().substring(DeploydKeys.NODES.length()))
            .toList();
    Map<String, List<String>> certificates = new LinkedHashMap<>();
    for (CertificateSummary certificate :
        new CertificateStore(store, InstantSource.fixed(now)).list().certificates()) {
      if (certificate.notAfter().isAfter(now)) {
        certificates.put(certificate.name(), certificate.hosts());
      }
    }
    ContainerNetworks networks = new ContainerNetworks(store);
    return new Facts.StoreContents(
        config.load(),
        config.registryBootstrap(),
        nodes,
        certificates,
        store.get(ConsoleKeys.user(Layout.ADMIN_USER)).isPresent(),
        networks.settings(),
        networks.blocks());
  }
}
