package dev.lain.bootstrap;

import dev.lain.model.Ipv4;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ConfigEntry;
import dev.lain.records.config.ConfigKey;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link MachineProbe} found on this machine: plain values, so that {@link Preflight} and
 * {@link Plan} are pure functions of them and tests write them by hand.
 *
 * @param uid the effective user id
 * @param systemd whether systemd runs the machine ({@code /run/systemd/system} exists)
 * @param kernelRelease {@code uname -r}, empty when unknown
 * @param commands which of the programs asked about are on the PATH (curl, apt-get, dpkg, ...)
 * @param hostname the host name, empty when unknown
 * @param addresses the machine's IPv4 addresses with their prefixes
 * @param defaultInterface the interface of the default route, if there is one
 * @param device what {@code --docker-device} is, when it was given
 * @param installed what an earlier bootstrap left
 */
@RecordBuilder
public record Facts(
    int uid,
    boolean systemd,
    String kernelRelease,
    Set<String> commands,
    String hostname,
    List<HostAddress> addresses,
    Optional<String> defaultInterface,
    Optional<Device> device,
    Installed installed)
    implements FactsBuilder.With {

  public Facts {
    Objects.requireNonNull(kernelRelease, "kernelRelease");
    commands = Set.copyOf(commands);
    Objects.requireNonNull(hostname, "hostname");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(defaultInterface, "defaultInterface");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(installed, "installed");
  }

  public boolean has(String command) {
    return commands.contains(command);
  }

  public boolean hasAddress(String ip) {
    return Ipv4.isLoopback(ip) || addresses.stream().anyMatch(a -> a.ip().equals(ip));
  }

  /** One IPv4 address of an interface, e.g. eth0 10.0.0.5/24. */
  public record HostAddress(String interfaceName, String ip, int prefix) {
    public HostAddress {
      Objects.requireNonNull(interfaceName, "interfaceName");
      if (Ipv4.problem(ip).isPresent()) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      if (prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("prefix out of range: " + prefix);
      }
    }

    public String network() {
      return Ipv4.networkOf(ip, prefix);
    }
  }

  /**
   * The block device given as {@code --docker-device}.
   *
   * @param path as given
   * @param exists whether the path exists
   * @param blockDevice whether it is a block device
   * @param sizeBytes its size, 0 when unknown
   * @param mountpoints where it or anything on it (partitions, logical volumes) is mounted
   * @param signatures what {@code blkid -p} found on it: ext4, xfs, LVM2_member, a partition table
   *     (dos, gpt), ...
   * @param deviceMapper whether the kernel has device-mapper, which LVM needs
   */
  public record Device(
      String path,
      boolean exists,
      boolean blockDevice,
      long sizeBytes,
      List<String> mountpoints,
      List<String> signatures,
      boolean deviceMapper) {
    public Device {
      Objects.requireNonNull(path, "path");
      mountpoints = List.copyOf(mountpoints);
      signatures = List.copyOf(signatures);
    }

    /** A device on a kernel with device-mapper, as production kernels are. */
    public Device(
        String path,
        boolean exists,
        boolean blockDevice,
        long sizeBytes,
        List<String> mountpoints,
        List<String> signatures) {
      this(path, exists, blockDevice, sizeBytes, mountpoints, signatures, true);
    }

    public static Device missing(String path) {
      return new Device(path, false, false, 0, List.of(), List.of());
    }

    public Device withoutDeviceMapper() {
      return new Device(path, exists, blockDevice, sizeBytes, mountpoints, signatures, false);
    }

    /**
     * What /var/lib/docker is mounted from once bootstrap prepared this device: the logical volume,
     * or, without device-mapper, the device itself.
     */
    public String preparedSource() {
      return deviceMapper ? Layout.DOCKER_LV_MAPPER : path;
    }
  }

  /**
   * What an earlier bootstrap left on this machine; empty on a fresh one.
   *
   * @param packages the Debian packages installed, of those asked about
   * @param runningServices services that run: systemd units that are active ({@code docker}, {@code
   *     lain-node}, ...) or {@code lain-*} processes alive behind their pid files
   * @param dockerRunning whether dockerd answers
   * @param baseImage whether the image {@code lain/busybox:latest} is present
   * @param files the contents of the files bootstrap writes that exist already (daemon.json,
   *     registry.yml, lain-* units), by absolute path
   * @param presentFiles further files bootstrap makes that exist, by absolute path, their contents
   *     not read: the cluster CA's certificate, the admin's CLI login (it holds a token)
   * @param dockerDataSource what /var/lib/docker is mounted from, if it is a mount point
   * @param store what the cluster store holds, if it exists and could be read
   * @param dockerContents how many containers and images dockerd reports, when it answers
   */
  @RecordBuilder
  public record Installed(
      Set<String> packages,
      Set<String> runningServices,
      boolean dockerRunning,
      boolean baseImage,
      Map<String, String> files,
      Set<String> presentFiles,
      Optional<String> dockerDataSource,
      Optional<StoreContents> store,
      Optional<DockerContents> dockerContents)
      implements FactsInstalledBuilder.With {
    public Installed {
      packages = Set.copyOf(packages);
      runningServices = Set.copyOf(runningServices);
      files = Map.copyOf(files);
      presentFiles = Set.copyOf(presentFiles);
      Objects.requireNonNull(dockerDataSource, "dockerDataSource");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(dockerContents, "dockerContents");
    }

    public Installed withStore(StoreContents value) {
      return withStore(Optional.of(value));
    }

    public Installed withDockerContents(DockerContents value) {
      return withDockerContents(Optional.of(value));
    }

    public Installed withRunning(Set<String> value) {
      return withRunningServices(value);
    }

    /**
     * Without further files and without what dockerd holds (it did not answer, or was not asked).
     */
    public Installed(
        Set<String> packages,
        Set<String> runningServices,
        boolean dockerRunning,
        boolean baseImage,
        Map<String, String> files,
        Optional<String> dockerDataSource,
        Optional<StoreContents> store) {
      this(
          packages,
          runningServices,
          dockerRunning,
          baseImage,
          files,
          Set.of(),
          dockerDataSource,
          store,
          Optional.empty());
    }

    /** A machine LAIN never touched. */
    public static Installed nothing() {
      return new Installed(
          Set.of(), Set.of(), false, false, Map.of(), Optional.empty(), Optional.empty());
    }

    public Optional<String> file(String path) {
      return Optional.ofNullable(files.get(path));
    }

    /** Whether the file at {@code path} (absolute, on the machine) exists, read or not. */
    public boolean exists(String path) {
      return files.containsKey(path) || presentFiles.contains(path);
    }

    public boolean runs(String service) {
      return runningServices.contains(service);
    }

    /** Whether /var/lib/docker is already mounted from what bootstrap makes of {@code device}. */
    public boolean dockerStoragePrepared(Device device) {
      return dockerDataSource.filter(device.preparedSource()::equals).isPresent();
    }
  }

  /**
   * What a Docker engine holds, as {@code docker info --format '{{.Containers}} {{.Images}}'}
   * reports it (or as its data root's files show when it does not answer).
   */
  public record DockerContents(int containers, int images) {
    /** The format asked of {@code docker info}. */
    public static final String FORMAT = "{{.Containers}} {{.Images}}";

    public DockerContents {
      if (containers < 0 || images < 0) {
        throw new IllegalArgumentException("counts must not be negative");
      }
    }

    /** Parses the answer to {@link #FORMAT}: two numbers; anything else is empty. */
    public static Optional<DockerContents> parse(String answer) {
      String[] fields = answer.strip().split("\\s+");
      if (fields.length != 2) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new DockerContents(Integer.parseInt(fields[0]), Integer.parseInt(fields[1])));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    /** Nothing but what a freshly installed Docker makes: no container, no image. */
    public boolean pristine() {
      return containers == 0 && images == 0;
    }

    /** {@code 2 containers, 1 image}. */
    public String describe() {
      return containers
          + (containers == 1 ? " container, " : " containers, ")
          + images
          + (images == 1 ? " image" : " images");
    }
  }

  /**
   * What the cluster store holds that bootstrap cares about, as {@link StoreReader#contents} read
   * it: the probe for the plan, the executor again when a step runs.
   *
   * @param config the cluster configuration as stored (lain-records' keys and rules)
   * @param registryBootstrap the registry an earlier {@code -r} noted, if any
   * @param nodes the node records' keys without their directory ({@code name:ip:ssh port})
   * @param certificates the webrouter's certificates that can serve when read (readable, not
   *     expired), by name, with the hosts each serves
   * @param adminUser whether the console user {@link Layout#ADMIN_USER} exists
   * @param containerNetwork the container network's settings, if defined
   * @param blocks the blocks of it nodes hold
   */
  @RecordBuilder
  public record StoreContents(
      ClusterConfig config,
      Optional<String> registryBootstrap,
      List<String> nodes,
      Map<String, List<String>> certificates,
      boolean adminUser,
      Optional<NetworkSettings> containerNetwork,
      List<NodeBlock> blocks)
      implements FactsStoreContentsBuilder.With {
    public StoreContents {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(registryBootstrap, "registryBootstrap");
      nodes = List.copyOf(nodes);
      Objects.requireNonNull(containerNetwork, "containerNetwork");
      blocks = List.copyOf(blocks);
      Map<String, List<String>> copy = new LinkedHashMap<>();
      certificates.forEach((name, hosts) -> copy.put(name, List.copyOf(hosts)));
      certificates = Collections.unmodifiableMap(copy);
    }

    public static StoreContents empty() {
      return new StoreContents(
          ClusterConfig.fromStored(Map.of(), 0),
          Optional.empty(),
          List.of(),
          Map.of(),
          false,
          Optional.empty(),
          List.of());
    }

    /** Whether {@code key} is stored with exactly {@code value}. */
    public boolean holds(ConfigKey key, String value) {
      ConfigEntry entry = config.entry(key);
      return entry.source() == ConfigEntry.Source.SET && entry.value().equals(value);
    }
  }
}
