package dev.lain.bootstrap;

import dev.lain.model.Ipv4;
import dev.lain.model.network.AddressPool;
import dev.lain.model.network.NetworkSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether this machine can be bootstrapped with these options: a pure function of {@link Facts}, so
 * that a refusal happens before anything is changed. A failed check stops the install; a warning is
 * shown and the install goes on.
 */
public final class Preflight {
  /** Docker's minimum, as LAIN's production chapter states. */
  static final KernelVersion MIN_KERNEL = new KernelVersion(3, 10);

  private Preflight() {}

  public static List<Check> check(Facts facts, Options options) {
    List<Check> checks = new ArrayList<>();
    checks.add(root(facts, options));
    checks.add(systemd(facts, options));
    checks.add(kernel(facts));
    checks.add(packageManager(facts));
    checks.add(curl(facts));
    switch (NodeIdentity.resolve(options, facts)) {
      case NodeIdentity.Resolution.Resolved resolved -> node(resolved.identity(), facts, checks);
      case NodeIdentity.Resolution.Unresolved unresolved ->
          checks.add(Check.failed("node", String.join("; ", unresolved.problems())));
    }
    options.dockerDevice().ifPresent(path -> device(path, facts, options, checks));
    if (!options.storageOnly()) {
      checks.add(firstNode(facts, options));
    }
    // A joining node (--storage-only) is given the cluster's pool to check its own networks
    // against: its Docker bridge or another network of it may overlap the pool.
    if ((!options.storageOnly() || options.containerNetwork().isPresent())
        && NodeIdentity.resolve(options, facts)
            instanceof NodeIdentity.Resolution.Resolved(NodeIdentity identity)) {
      checks.add(containerNetwork(facts, options, identity));
    }
    return List.copyOf(checks);
  }

  /** Whether any check failed. */
  public static boolean failed(List<Check> checks) {
    return checks.stream().anyMatch(Check::failed);
  }

  private static Check root(Facts facts, Options options) {
    if (facts.uid() == 0) {
      return Check.ok("root", "running as root");
    }
    if (options.dryRun()) {
      return Check.warning(
          "root", "uid " + facts.uid() + ": enough for --dry-run; the install itself needs root");
    }
    return Check.failed(
        "root",
        "uid " + facts.uid() + ": run ./bootstrap as root (it installs packages, starts daemons)");
  }

  private static Check systemd(Facts facts, Options options) {
    if (options.noSystemd()) {
      return Check.ok(
          "systemd",
          "--no-systemd: daemons run with pid files in " + Layout.RUN + ", logs in " + Layout.LOGS);
    }
    if (facts.systemd()) {
      return Check.ok("systemd", "systemd runs this machine: daemons become units lain-*");
    }
    if (options.mode() == Mode.SINGLE_NODE) {
      return Check.warning(
          "systemd",
          "systemd does not run this machine: daemons run with pid files in "
              + Layout.RUN
              + " (as with --no-systemd) and do not come back after a reboot");
    }
    return Check.failed(
        "systemd",
        "systemd does not run this machine (no "
            + Layout.SYSTEMD_RUNNING
            + "): pass --no-systemd to supervise the daemons with pid files");
  }

  private static Check kernel(Facts facts) {
    if (facts.kernelRelease().isBlank()) {
      return Check.failed("kernel", "the kernel release is unknown (uname -r gave nothing)");
    }
    Optional<KernelVersion> version = KernelVersion.parse(facts.kernelRelease());
    if (version.isEmpty()) {
      return Check.failed(
          "kernel", "cannot read the kernel release '" + facts.kernelRelease() + "'");
    }
    if (version.get().compareTo(MIN_KERNEL) < 0) {
      return Check.failed(
          "kernel",
          facts.kernelRelease() + " is older than " + MIN_KERNEL + ", the oldest Docker runs on");
    }
    return Check.ok("kernel", facts.kernelRelease() + " (>= " + MIN_KERNEL + ")");
  }

  private static Check packageManager(Facts facts) {
    List<String> missing = List.of("apt-get", "dpkg").stream().filter(c -> !facts.has(c)).toList();
    if (missing.isEmpty()) {
      return Check.ok("package-manager", "apt-get and dpkg (Debian packages)");
    }
    return Check.failed(
        "package-manager",
        String.join(" and ", missing)
            + " not found: bootstrap installs Debian packages and needs a Debian-like system");
  }

  private static Check curl(Facts facts) {
    if (facts.has("curl")) {
      return Check.ok("curl", "present");
    }
    return Check.warning("curl", "not found: it is installed with the packages");
  }

  private static void node(NodeIdentity node, Facts facts, List<Check> checks) {
    checks.add(Check.ok("node", node.name() + " " + node.ip()));
    if (facts.hasAddress(node.ip())) {
      String where =
          facts.addresses().stream()
              .filter(a -> a.ip().equals(node.ip()))
              .map(a -> " on " + a.interfaceName())
              .findFirst()
              .orElse(Ipv4.isLoopback(node.ip()) ? " (loopback)" : "");
      checks.add(Check.ok("node-ip", node.ip() + where));
    } else {
      List<String> mine =
          facts.addresses().stream()
              .filter(a -> !Ipv4.isLoopback(a.ip()))
              .map(a -> a.ip() + " (" + a.interfaceName() + ")")
              .toList();
      checks.add(
          Check.failed(
              "node-ip",
              node.ip()
                  + " is not an address of this machine"
                  + (mine.isEmpty() ? "" : "; it has " + String.join(", ", mine))));
    }
    node.network()
        .ifPresent(
            network ->
                checks.add(
                    Ipv4.contains(network, node.ip())
                        ? Check.ok("node-network", network)
                        : Check.failed(
                            "node-network",
                            "the node IP "
                                + node.ip()
                                + " is not inside --node-network "
                                + network)));
  }

  private static Check containerNetwork(Facts facts, Options options, NodeIdentity node) {
    NetworkSettings wanted = NetworkChoice.wanted(options, facts.installed().store());
    Optional<Facts.StoreContents> store = facts.installed().store();
    Optional<NetworkSettings> stored = store.flatMap(Facts.StoreContents::containerNetwork);
    boolean blocksGiven = store.map(s -> !s.blocks().isEmpty()).orElse(false);
    if (stored.isPresent() && !stored.get().pool().equals(wanted.pool()) && blocksGiven) {
      return Check.failed(
          "container-network",
          "the cluster's container network is "
              + stored.get().pool().network()
              + " and nodes hold blocks of it: --container-network "
              + wanted.pool().network()
              + " cannot replace it (leave the flag out to keep it)");
    }
    if (AddressPool.check(
            wanted.pool().network(),
            wanted.pool().blockPrefix(),
            NetworkChoice.reserved(facts, node.network()))
        instanceof AddressPool.Checked.Bad(List<String> problems)) {
      return Check.failed("container-network", String.join("; ", problems));
    }
    return Check.ok("container-network", wanted.toString());
  }

  private static void device(String path, Facts facts, Options options, List<Check> checks) {
    Optional<Facts.Device> found = facts.device().filter(d -> d.path().equals(path));
    if (found.isEmpty() || !found.get().exists()) {
      checks.add(Check.failed("device", path + " does not exist"));
      return;
    }
    Facts.Device device = found.get();
    if (!device.blockDevice()) {
      checks.add(Check.failed("device", path + " is not a block device"));
      return;
    }
    checks.add(
        Check.ok(
            "device",
            path
                + " is a block device"
                + (device.deviceMapper()
                    ? " (LVM on it)"
                    : " (this kernel has no device-mapper: xfs on the whole device, no LVM)")));
    boolean ours = facts.installed().dockerStoragePrepared(device);
    if (device.sizeBytes() < Layout.MIN_DEVICE_BYTES) {
      checks.add(
          Check.failed(
              "device-size",
              path + " holds " + size(device.sizeBytes()) + ", less than the 10 GiB Docker needs"));
    } else {
      checks.add(Check.ok("device-size", size(device.sizeBytes())));
    }
    List<String> foreignMounts =
        device.mountpoints().stream().filter(m -> !(ours && m.equals(Layout.DOCKER_DATA))).toList();
    if (!foreignMounts.isEmpty()) {
      checks.add(
          Check.failed(
              "device-mounted",
              path + " is in use: mounted on " + String.join(", ", foreignMounts)));
    } else {
      checks.add(
          Check.ok(
              "device-mounted",
              device.mountpoints().isEmpty()
                  ? "not mounted"
                  : "mounted on " + Layout.DOCKER_DATA + " by an earlier bootstrap"));
    }
    checks.add(signature(path, device, ours, options.force()));
    if (!ours) {
      facts.installed().dockerContents().ifPresent(c -> checks.add(dockerData(c, options.force())));
    }
  }

  /**
   * What the running Docker holds in the data root the disk takes over; on a fresh machine Docker
   * is not installed yet and the executor looks again after installing it.
   */
  private static Check dockerData(Facts.DockerContents contents, boolean force) {
    if (contents.pristine()) {
      return Check.ok(
          "docker-data",
          "Docker holds no containers and no images: "
              + Layout.DOCKER_DATA
              + " is moved aside to "
              + Layout.DOCKER_DATA
              + Layout.MOVED_ASIDE
              + "<time>");
    }
    if (force) {
      return Check.warning(
          "docker-data",
          "Docker holds "
              + contents.describe()
              + " in "
              + Layout.DOCKER_DATA
              + ": --force mounts the disk over them (hidden, not deleted)");
    }
    return Check.failed(
        "docker-data",
        "Docker holds "
            + contents.describe()
            + " in "
            + Layout.DOCKER_DATA
            + ": remove them, or stop Docker and move "
            + Layout.DOCKER_DATA
            + " away yourself, or pass --force to mount the disk over them");
  }

  private static Check signature(String path, Facts.Device device, boolean ours, boolean force) {
    if (device.signatures().isEmpty()) {
      return Check.ok("device-signature", "no filesystem, partition table or LVM signature");
    }
    String found = String.join(", ", device.signatures());
    if (ours
        && device.signatures().equals(List.of(device.deviceMapper() ? "LVM2_member" : "xfs"))) {
      return Check.ok(
          "device-signature",
          (device.deviceMapper() ? "LVM physical volume" : "xfs")
              + " of an earlier bootstrap: kept as it is");
    }
    if (force) {
      return Check.warning(
          "device-signature", path + " holds " + found + ": --force given, it will be wiped");
    }
    return Check.failed(
        "device-signature",
        path
            + " holds "
            + found
            + ": pass --force to wipe it (everything on it is lost), or give an empty disk");
  }

  private static Check firstNode(Facts facts, Options options) {
    Optional<Facts.StoreContents> store = facts.installed().store();
    if (store.isEmpty()) {
      return Check.ok("first-node", "no cluster store yet: a new cluster");
    }
    // Without lain-etcd running, the probe read the single-node store: cluster mode would start a
    // second, empty cluster beside it and leave its apps behind.
    if (options.mode() == Mode.CLUSTER
        && !facts.installed().runningServices().contains("lain-etcd")) {
      return Check.failed(
          "first-node",
          "this machine holds a single-node cluster (embedded:"
              + Layout.EMBEDDED_STORE
              + "): moving it to cluster mode is not supported; bootstrap cluster mode on a"
              + " machine without one");
    }
    List<String> nodes = store.get().nodes();
    if (nodes.isEmpty()) {
      return Check.ok("first-node", "the store holds no node yet");
    }
    Optional<String> name =
        switch (NodeIdentity.resolve(options, facts)) {
          case NodeIdentity.Resolution.Resolved r -> Optional.of(r.identity().name());
          case NodeIdentity.Resolution.Unresolved u -> Optional.empty();
        };
    if (nodes.size() == 1 && name.isPresent() && nodes.get(0).startsWith(name.get() + ":")) {
      return Check.ok("first-node", "this node (" + nodes.get(0) + ") is the only one: kept");
    }
    // LAIN wiped etcd and every container when bootstrap ran again; here it simply refuses.
    return Check.failed(
        "first-node",
        "the store already holds "
            + (nodes.size() == 1 ? "node " : nodes.size() + " nodes: ")
            + String.join(", ", nodes)
            + (nodes.size() == 1 ? ", not this one" : "")
            + ": bootstrap sets up the first node only; add nodes with lainctl node add");
  }

  static String size(long bytes) {
    double gib = bytes / (1024.0 * 1024 * 1024);
    return String.format(Locale.ROOT, "%.1f GiB", gib);
  }
}
