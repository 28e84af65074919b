package dev.lain.bootstrap;

import dev.lain.exec.CommandRunner;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.RecordException;
import dev.lain.records.certs.CertificateStore;
import dev.lain.records.certs.CertificateStoreException;
import dev.lain.records.config.ClusterConfigException;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import dev.lain.records.console.Users;
import dev.lain.records.network.ContainerNetworks;
import dev.lain.store.Store;
import dev.lain.tls.CertificateAuthority;
import dev.lain.tls.CertificateCheck;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The executor's store steps: the cluster configuration, the webrouter's certificate and the
 * cluster admin, each written through lain-records.
 *
 * <p>The plan may have been made while the store was down (etcd after a reboot, so the probe read
 * nothing): each step first reads the store again ({@link StoreReader#contents}) and asks the
 * action the plan's question ({@code notIn}, {@code inPlace}), so what is already there is kept.
 */
final class StoreSteps {
  private static final String CLI_PHASE = "local";

  private final Machine machine;
  private final StoreOpener stores;
  private final InstantSource clock;

  StoreSteps(Machine machine, StoreOpener stores, InstantSource clock) {
    this.machine = machine;
    this.stores = stores;
    this.clock = clock;
  }

  void writeClusterConfig(Action.WriteClusterConfig action) {
    inStore(action.storeUrl(), store -> writeClusterConfig(action, store));
  }

  private void writeClusterConfig(Action.WriteClusterConfig action, Store store) {
    Action.WriteClusterConfig missing = action.notIn(contents(store));
    ClusterConfigStore config = new ClusterConfigStore(store);
    for (Map.Entry<ConfigKey, String> value : action.values().entrySet()) {
      String shown = value.getKey().storeKey() + " = " + value.getValue();
      if (!missing.values().containsKey(value.getKey())) {
        machine.note(shown + " already (kept)");
        continue;
      }
      try {
        config.set(value.getKey(), value.getValue());
      } catch (ClusterConfigException e) {
        throw new StepFailed(e.getMessage());
      }
      machine.note(shown);
    }
    if (action.registryBootstrap().isPresent()) {
      String registry = action.registryBootstrap().get();
      String shown = ClusterConfigStore.REGISTRY_BOOTSTRAP + " = " + registry;
      if (missing.registryBootstrap().isEmpty()) {
        machine.note(shown + " already (kept)");
      } else {
        config.setRegistryBootstrap(registry);
        machine.note(shown);
      }
    }
  }

  void defineContainerNetwork(Action.DefineContainerNetwork action) {
    inStore(
        action.storeUrl(),
        store -> {
          ContainerNetworks networks = new ContainerNetworks(store);
          try {
            boolean had = networks.settings().equals(Optional.of(action.settings()));
            networks.define(action.settings(), action.reserved());
            machine.note(
                ContainerNetworks.SETTINGS_KEY
                    + " = "
                    + action.settings()
                    + (had ? " already (kept)" : ""));
            boolean held = networks.blockOf(action.node()).isPresent();
            NodeBlock block = networks.assign(action.node(), action.nodeIp());
            machine.note(
                action.node() + " holds " + block.network() + (held ? " already (kept)" : ""));
          } catch (RecordException e) {
            throw new StepFailed(e.getMessage());
          }
        });
  }

  void createCertificates(Action.CreateCertificates action) {
    if (withStore(action.storeUrl(), store -> action.inPlace(contents(store), machine::exists))) {
      machine.note("certificate '" + action.name() + "' is stored and valid: kept");
      return;
    }
    CertificateAuthority ca;
    Optional<String> caCert = machine.read(action.caCert());
    Optional<String> caKey = machine.read(action.caKey());
    if (caCert.isPresent() && caKey.isPresent()) {
      // Clients told to trust the CA keep trusting what it signs after a re-run.
      ca = CertificateAuthority.load(caCert.get(), caKey.get());
      machine.note("CA kept: " + action.caCert());
    } else {
      ca = CertificateAuthority.create("LAIN cluster CA", clock.instant());
      machine.directory(Path.of(action.caKey()).getParent().toString());
      machine.writeFile(action.caKey(), ca.keyPem(), "rw-------");
      machine.writeFile(action.caCert(), ca.certificatePem(), "rw-r--r--");
      machine.note("CA created: " + action.caCert() + " (key " + action.caKey() + ", mode 0600)");
    }
    CertificateAuthority.Issued issued = ca.issue(action.hosts(), clock.instant());
    CertificateCheck.Passed passed =
        switch (CertificateCheck.check(issued.certificatePem(), issued.keyPem(), clock.instant())) {
          case CertificateCheck.Passed p -> p;
          case CertificateCheck.Failed f ->
              throw new StepFailed(
                  "the new certificate fails its check: " + String.join("; ", f.problems()));
        };
    inStore(
        action.storeUrl(),
        store -> {
          try {
            new CertificateStore(store, clock).add(action.name(), passed.certificate(), true);
            ClusterConfigStore config = new ClusterConfigStore(store);
            Map<String, String> ssl = new LinkedHashMap<>(action.ssl());
            // Patterns an operator pointed at other certificates stay as they are.
            config.load().ssl().forEach(ssl::putIfAbsent);
            config.setSsl(ssl);
          } catch (CertificateStoreException | ClusterConfigException e) {
            throw new StepFailed(e.getMessage());
          }
        });
    machine.note(
        "certificate '"
            + action.name()
            + "' for "
            + String.join(", ", action.hosts())
            + " stored; "
            + ConfigKey.SSL.storeKey()
            + " points them at it");
  }

  void createAdminToken(Action.CreateAdminToken action, Options options, String registry) {
    if (withStore(action.storeUrl(), store -> action.inPlace(contents(store), machine::exists))) {
      machine.note(
          "the admin '" + Layout.ADMIN_USER + "' exists and " + action.cliConfig() + " is kept");
      return;
    }
    String token =
        withStore(
            action.storeUrl(),
            store -> {
              try {
                return Users.createAdmin(store, Layout.ADMIN_USER);
              } catch (RecordException e) {
                if (e.code() != RecordException.Code.CONFLICT) {
                  throw new StepFailed(e.getMessage());
                }
                // The admin exists (its CLI login was lost): give this machine a new token.
                return new Users(store, clock).issueToken(Layout.ADMIN_USER).token();
              }
            });
    String home = machine.at(Path.of(action.cliConfig()).getParent().toString()).toString();
    String lain = Path.of(options.laind()).resolveSibling("lain").toString();
    List<String> cli = List.of("env", "LAIN_HOME=" + home, lain);
    machine.must(concat(cli, "config", "save", CLI_PHASE, "domain", options.domain()));
    machine.must(
        concat(
            cli,
            "config",
            "save",
            CLI_PHASE,
            "console",
            "http://127.0.0.1:" + Layout.CONSOLE_PORT));
    machine.must(concat(cli, "config", "save", CLI_PHASE, "registry", registry));
    CommandRunner.Result login =
        machine.run(concat(cli, "login", CLI_PHASE, "--token-file", "-"), token + "\n");
    if (!login.succeeded()) {
      throw new StepFailed(
          "lain login " + CLI_PHASE + " exited " + login.exitCode() + ": " + Machine.tail(login));
    }
    machine.note(
        "phase "
            + CLI_PHASE
            + ": logged in as "
            + Layout.ADMIN_USER
            + " (token in "
            + action.cliConfig()
            + ", mode 0600)");
  }

  /** The store as it is now, read as the probe reads it for the plan. */
  private Facts.StoreContents contents(Store store) {
    return StoreReader.contents(store, clock.instant());
  }

  private <T> T withStore(String url, Function<Store, T> work) {
    Store store = stores.open(url);
    try {
      return work.apply(store);
    } finally {
      stores.release(store);
    }
  }

  private void inStore(String url, Consumer<Store> work) {
    withStore(
        url,
        store -> {
          work.accept(store);
          return Boolean.TRUE;
        });
  }

  private static List<String> concat(List<String> head, String... tail) {
    return Stream.concat(head.stream(), Stream.of(tail)).toList();
  }
}
