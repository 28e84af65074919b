package dev.lain.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ConfigKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Machines written by hand: a fresh Debian 12 node, and the same node after a bootstrap ran. */
final class Fixtures {
  static final long GIB = 1024L * 1024 * 1024;

  private Fixtures() {}

  /** A fresh Debian machine run by systemd, with eth0 192.168.77.21/24 as its default route. */
  static Facts freshDebian() {
    return new Facts(
        0,
        true,
        "6.1.0-18-amd64",
        Set.of("curl", "apt-get", "dpkg", "systemctl", "ip", "lsblk", "blkid", "findmnt"),
        "node1",
        List.of(
            new Facts.HostAddress("lo", "127.0.0.1", 8),
            new Facts.HostAddress("eth0", "192.168.77.21", 24)),
        Optional.of("eth0"),
        Optional.empty(),
        Facts.Installed.nothing());
  }

  /** An empty 100 GiB disk. */
  static Facts.Device emptyDisk(String path) {
    return new Facts.Device(path, true, true, 100 * GIB, List.of(), List.of());
  }

  /** The machine as it is once every step of {@code plan} was carried out. */
  static Facts afterRun(Facts before, Plan plan) {
    Set<String> running = new HashSet<>();
    Map<String, String> files = new HashMap<>();
    Map<ConfigKey, String> config = new EnumMap<>(ConfigKey.class);
    Optional<String> registryBootstrap = Optional.empty();
    Map<String, List<String>> certificates = new HashMap<>();
    Set<String> present = new HashSet<>();
    Optional<String> dockerData = Optional.empty();
    Optional<NetworkSettings> network = Optional.empty();
    List<NodeBlock> blocks = new ArrayList<>();
    Optional<Facts.Device> device = before.device();
    running.add(plan.supervision() == Supervision.SYSTEMD ? "docker" : "lain-dockerd");
    for (Step step : plan.steps()) {
      switch (step.action()) {
        case Action.Supervise supervise -> {
          for (Service service : supervise.services()) {
            running.add(service.name());
            if (supervise.supervision() == Supervision.SYSTEMD) {
              files.put(Layout.unit(service.name()), service.unit());
            }
          }
        }
        case Action.WriteFile write -> files.put(write.path(), write.content());
        case Action.StartServices start ->
            start.files().forEach(f -> files.put(f.path(), f.content()));
        case Action.PrepareDockerStorage storage -> {
          dockerData = Optional.of(storage.lvm() ? Layout.DOCKER_LV_MAPPER : storage.device());
          device =
              Optional.of(
                  new Facts.Device(
                      storage.device(),
                      true,
                      true,
                      before.device().map(Facts.Device::sizeBytes).orElse(100 * GIB),
                      List.of(Layout.DOCKER_DATA),
                      List.of(storage.lvm() ? "LVM2_member" : "xfs"),
                      storage.lvm()));
        }
        case Action.WriteClusterConfig write -> {
          config.putAll(write.values());
          if (write.registryBootstrap().isPresent()) {
            registryBootstrap = write.registryBootstrap();
          }
        }
        case Action.DefineContainerNetwork define -> {
          network = Optional.of(define.settings());
          blocks.add(
              new NodeBlock(define.settings().pool().block(0), define.node(), define.nodeIp()));
        }
        case Action.CreateCertificates certs -> {
          certificates.put(certs.name(), certs.hosts());
          config.put(ConfigKey.SSL, json(certs.ssl()));
          present.add(certs.caCert());
        }
        case Action.InstallPackages p -> {}
        case Action.StartDocker d -> {}
        case Action.StopServices s -> {}
        case Action.UseEmbeddedStore s ->
            files.put(s.nodeStoreFile().path(), s.nodeStoreFile().content());
        case Action.BuildBaseImage b -> {}
        case Action.CreateAdminToken admin -> present.add(admin.cliConfig());
      }
    }
    NodeIdentity node = plan.node();
    Facts.StoreContents store =
        new Facts.StoreContents(
            ClusterConfig.fromStored(config, 0),
            registryBootstrap,
            List.of(node.name() + ":" + node.ip() + ":22"),
            certificates,
            true,
            network,
            blocks);
    Facts.Installed installed =
        new Facts.Installed(
            Set.copyOf(Plan.packages(plan.options())),
            running,
            true,
            true,
            files,
            dockerData,
            Optional.of(store));
    return before.withInstalled(installed.withPresentFiles(present)).withDevice(device);
  }

  private static String json(Map<String, String> map) {
    try {
      return new ObjectMapper().writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Options options(String... args) {
    return switch (Options.parse(args)) {
      case Options.Parsed.Valid valid -> valid.options();
      case Options.Parsed.Invalid invalid ->
          throw new AssertionError("invalid test flags: " + invalid.problems());
      case Options.Parsed.HelpRequested help -> throw new AssertionError("help");
    };
  }
}
