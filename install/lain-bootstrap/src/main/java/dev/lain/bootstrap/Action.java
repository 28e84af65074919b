package dev.lain.bootstrap;

import dev.lain.model.network.AddressPool;
import dev.lain.model.network.NetworkSettings;
import dev.lain.records.config.ClusterConfigStore;
import dev.lain.records.config.ConfigKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What an executor does for one {@link Step}: a closed set, so that an executor's {@code switch}
 * covers every kind. Every action is safe to repeat: it checks before it changes.
 */
public sealed interface Action {

  /** {@code apt-get install --no-install-recommends} the packages not installed yet. */
  record InstallPackages(List<String> packages) implements Action {
    public InstallPackages {
      packages = List.copyOf(packages);
    }
  }

  /**
   * Docker storage on a dedicated disk: an LVM physical volume on {@code device}, volume group
   * {@code volumeGroup}, logical volume {@code logicalVolume} over all of it, formatted {@code
   * filesystem} (xfs with ftype=1, as overlay2 needs) and mounted on {@code mountPoint} through
   * /etc/fstab. lain-docker-disk carries it out.
   *
   * @param lvm false on a kernel without device-mapper: the filesystem goes on the whole device
   * @param wipe whether existing signatures are wiped first ({@code --force})
   */
  record PrepareDockerStorage(
      String device,
      String volumeGroup,
      String logicalVolume,
      String filesystem,
      String mountPoint,
      boolean lvm,
      boolean wipe)
      implements Action {
    public PrepareDockerStorage {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(volumeGroup, "volumeGroup");
      Objects.requireNonNull(logicalVolume, "logicalVolume");
      Objects.requireNonNull(filesystem, "filesystem");
      Objects.requireNonNull(mountPoint, "mountPoint");
    }
  }

  /**
   * Writes dockerd's configuration: {@code content} is the whole file, keys already there that
   * bootstrap does not manage kept.
   */
  record WriteFile(String path, String content) implements Action {
    public WriteFile {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(content, "content");
    }
  }

  /** Starts dockerd, or restarts it when its configuration changed. */
  record StartDocker(boolean restart, Supervision supervision) implements Action {
    public StartDocker {
      Objects.requireNonNull(supervision, "supervision");
    }
  }

  /**
   * Stops and disables Debian's own services that would hold the webrouter's and registry's ports.
   */
  record StopServices(List<String> services) implements Action {
    public StopServices {
      services = List.copyOf(services);
    }
  }

  /** Writes the systemd units (and reloads systemd), or prepares /run/lain and /var/log/lain. */
  record Supervise(Supervision supervision, List<Service> services) implements Action {
    public Supervise {
      Objects.requireNonNull(supervision, "supervision");
      services = List.copyOf(services);
    }
  }

  /**
   * Starts services and waits until each answers; restarts those in {@code restart} (their unit
   * changed).
   *
   * @param files files written first (whole contents), e.g. the registry's configuration
   */
  record StartServices(List<Service> services, List<String> restart, List<WriteFile> files)
      implements Action {
    public StartServices {
      services = List.copyOf(services);
      restart = List.copyOf(restart);
      files = List.copyOf(files);
    }
  }

  /**
   * Nothing to start: laind creates the embedded store file on its first start. The node's store
   * file is written so lainctl finds the store.
   */
  record UseEmbeddedStore(String path, WriteFile nodeStoreFile) implements Action {}

  /** Builds {@code lain/busybox:latest} from Debian's busybox-static (no Docker Hub needed). */
  record BuildBaseImage(String image) implements Action {}

  /**
   * Writes the cluster configuration: {@code values} through lain-records' {@code
   * ClusterConfigStore.set} (checked, canonical), {@code registryBootstrap} as LAIN noted it.
   */
  record WriteClusterConfig(
      String storeUrl, Map<ConfigKey, String> values, Optional<String> registryBootstrap)
      implements Action {
    public WriteClusterConfig {
      Objects.requireNonNull(storeUrl, "storeUrl");
      EnumMap<ConfigKey, String> copy = new EnumMap<>(ConfigKey.class);
      copy.putAll(values);
      values = Collections.unmodifiableMap(copy);
      Objects.requireNonNull(registryBootstrap, "registryBootstrap");
    }

    /**
     * What of this {@code store} does not hold yet: the values it stores differently or not at all.
     * The plan asks it of the probed store, the executor again of the store as it runs.
     */
    public WriteClusterConfig notIn(Facts.StoreContents store) {
      Map<ConfigKey, String> missing = new EnumMap<>(ConfigKey.class);
      values.forEach(
          (key, value) -> {
            if (!store.holds(key, value)) {
              missing.put(key, value);
            }
          });
      return new WriteClusterConfig(
          storeUrl,
          missing,
          registryBootstrap.filter(r -> !store.registryBootstrap().equals(Optional.of(r))));
    }

    public boolean isEmpty() {
      return values.isEmpty() && registryBootstrap.isEmpty();
    }

    /** The store keys written, in the order they are written. */
    public List<String> storeKeys() {
      List<String> keys =
          new ArrayList<>(values.keySet().stream().map(ConfigKey::storeKey).toList());
      registryBootstrap.ifPresent(r -> keys.add(ClusterConfigStore.REGISTRY_BOOTSTRAP));
      return keys;
    }
  }

  /**
   * Defines the cluster's container network ({@code settings}, checked against {@code reserved} and
   * the stored node network) and gives {@code node} its block of it, through lain-records'
   * ContainerNetworks.
   */
  record DefineContainerNetwork(
      String storeUrl,
      NetworkSettings settings,
      List<AddressPool.Reserved> reserved,
      String node,
      String nodeIp)
      implements Action {
    public DefineContainerNetwork {
      Objects.requireNonNull(storeUrl, "storeUrl");
      Objects.requireNonNull(settings, "settings");
      reserved = List.copyOf(reserved);
    }

    /** Whether {@code store} holds these settings and a block for the node. */
    public boolean inPlace(Facts.StoreContents store) {
      return store.containerNetwork().equals(Optional.of(settings))
          && store.blocks().stream().anyMatch(b -> b.node().equals(node));
    }
  }

  /**
   * Creates a self-signed CA (its key stays in {@code caKey}, mode 0600) and a certificate for
   * {@code hosts} signed by it, kept as the webrouter's certificate {@code name} (lainctl ssl), and
   * points the hosts at it in /lain/config/ssl ({@link #ssl}).
   */
  record CreateCertificates(
      String storeUrl, String name, List<String> hosts, String caCert, String caKey)
      implements Action {
    public CreateCertificates {
      Objects.requireNonNull(storeUrl, "storeUrl");
      Objects.requireNonNull(name, "name");
      hosts = List.copyOf(hosts);
      Objects.requireNonNull(caCert, "caCert");
      Objects.requireNonNull(caKey, "caKey");
    }

    /** The /lain/config/ssl patterns this sets: each host pointed at {@code name}, in order. */
    public Map<String, String> ssl() {
      Map<String, String> ssl = new LinkedHashMap<>();
      hosts.forEach(host -> ssl.put(host, name));
      return Collections.unmodifiableMap(ssl);
    }

    /**
     * Whether this is in place: the CA's certificate on the machine, the certificate {@code name}
     * stored for exactly {@code hosts} and still valid, and /lain/config/ssl pointing every host at
     * it (patterns pointed elsewhere by an operator do not matter). A changed domain needs a new
     * certificate: the stored one names the old hosts.
     *
     * @param exists whether a file (absolute path on the machine) exists
     */
    public boolean inPlace(Facts.StoreContents store, Predicate<String> exists) {
      return exists.test(caCert)
          && hosts.equals(store.certificates().get(name))
          && store.config().ssl().entrySet().containsAll(ssl().entrySet());
    }
  }

  /**
   * {@code lainctl user add admin --admin} (the user {@link Layout#ADMIN_USER}) and a login of the
   * lain CLI's phase {@code local}, kept in {@code cliConfig}.
   */
  record CreateAdminToken(String storeUrl, String cliConfig) implements Action {
    public CreateAdminToken {
      Objects.requireNonNull(storeUrl, "storeUrl");
      Objects.requireNonNull(cliConfig, "cliConfig");
    }

    /**
     * Whether this is in place: the admin exists and this machine's lain CLI is logged in ({@code
     * cliConfig} exists).
     *
     * @param exists whether a file (absolute path on the machine) exists
     */
    public boolean inPlace(Facts.StoreContents store, Predicate<String> exists) {
      return store.adminUser() && exists.test(cliConfig);
    }
  }
}
