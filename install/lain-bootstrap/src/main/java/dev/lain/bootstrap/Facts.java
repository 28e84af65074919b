package dev.lain.bootstrap;

import dev.lain.model.Ipv4;
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
public record Facts(
    int uid,
    boolean systemd,
    String kernelRelease,
    Set<String> commands,
    String hostname,
    List<HostAddress> addresses,
    Optional<String> defaultInterface,
    Optional<Device> device,
    Installed installed) {

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

  public Facts withInstalled(Installed value) {
    return new Facts(
        uid,
        systemd,
        kernelRelease,
        commands,
        hostname,
        addresses,
        defaultInterface,
        device,
        value);
  }

  public Facts withDevice(Optional<Device> value) {
    return new Facts(
        uid,
        systemd,
        kernelRelease,
        commands,
        hostname,
        addresses,
        defaultInterface,
        value,
        installed);
  }

  public Facts withUid(int value) {
    return new Facts(
        value,
        systemd,
        kernelRelease,
        commands,
        hostname,
        addresses,
        defaultInterface,
        device,
        installed);
  }

  public Facts withSystemd(boolean value) {
    return new Facts(
        uid,
        value,
        kernelRelease,
        commands,
        hostname,
        addresses,
        defaultInterface,
        device,
        installed);
  }

  public Facts withKernelRelease(String value) {
    return new Facts(
        uid, systemd, value, commands, hostname, addresses, defaultInterface, device, installed);
  }

  public Facts withCommands(Set<String> value) {
    return new Facts(
        uid,
        systemd,
        kernelRelease,
        value,
        hostname,
        addresses,
        defaultInterface,
        device,
        installed);
  }

  public Facts withHostname(String value) {
    return new Facts(
        uid,
        systemd,
        kernelRelease,
        commands,
        value,
        addresses,
        defaultInterface,
        device,
        installed);
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
   * @param dockerDataSource what /var/lib/docker is mounted from, if it is a mount point
   * @param store what the cluster store holds, if it exists and could be read
   * @param dockerContents how many containers and images dockerd reports, when it answers
   */
  public record Installed(
      Set<String> packages,
      Set<String> runningServices,
      boolean dockerRunning,
      boolean baseImage,
      Map<String, String> files,
      Optional<String> dockerDataSource,
      Optional<StoreContents> store,
      Optional<DockerContents> dockerContents) {
    public Installed {
      packages = Set.copyOf(packages);
      runningServices = Set.copyOf(runningServices);
      files = Map.copyOf(files);
      Objects.requireNonNull(dockerDataSource, "dockerDataSource");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(dockerContents, "dockerContents");
    }

    /** Without what dockerd holds (it did not answer, or was not asked). */
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
          dockerDataSource,
          store,
          Optional.empty());
    }

    public Installed withDockerContents(DockerContents value) {
      return new Installed(
          packages,
          runningServices,
          dockerRunning,
          baseImage,
          files,
          dockerDataSource,
          store,
          Optional.of(value));
    }

    /** A machine LAIN never touched. */
    public static Installed nothing() {
      return new Installed(
          Set.of(), Set.of(), false, false, Map.of(), Optional.empty(), Optional.empty());
    }

    public Installed withStore(StoreContents value) {
      return new Installed(
          packages,
          runningServices,
          dockerRunning,
          baseImage,
          files,
          dockerDataSource,
          Optional.of(value),
          dockerContents);
    }

    public Installed withRunning(Set<String> value) {
      return new Installed(
          packages,
          value,
          dockerRunning,
          baseImage,
          files,
          dockerDataSource,
          store,
          dockerContents);
    }

    public Optional<String> file(String path) {
      return Optional.ofNullable(files.get(path));
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
   * What the cluster store holds that bootstrap cares about.
   *
   * @param config the values under /lain/config/ by key name (domain, node_network, ...)
   * @param nodes the node records' keys under /lain/nodes/nodes/ ({@code name:ip:ssh port})
   * @param certificates the names of the webrouter's certificates
   * @param adminUser whether the console user {@code admin} exists
   */
  public record StoreContents(
      Map<String, String> config, List<String> nodes, Set<String> certificates, boolean adminUser) {
    public StoreContents {
      config = Map.copyOf(config);
      nodes = List.copyOf(nodes);
      certificates = Set.copyOf(certificates);
    }

    public static StoreContents empty() {
      return new StoreContents(Map.of(), List.of(), Set.of(), false);
    }
  }
}
