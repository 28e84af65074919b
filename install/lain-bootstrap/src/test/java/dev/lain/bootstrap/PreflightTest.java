package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.model.network.AddressPool;
import dev.lain.model.network.Cidr;
import dev.lain.model.network.NetworkSettings;
import dev.lain.model.network.NodeBlock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PreflightTest {
  private static final long GIB = Fixtures.GIB;

  private static Facts withDisk(Facts.Device device) {
    return Fixtures.freshDebian().withDevice(Optional.of(device));
  }

  @Test
  void aPristineDockerDoesNotFailAFreshMachine() {
    Facts facts =
        withDisk(Fixtures.emptyDisk("/dev/vdb"))
            .withInstalled(
                Facts.Installed.nothing().withDockerContents(new Facts.DockerContents(0, 0)));

    List<Check> checks = Preflight.check(facts, Fixtures.options("--docker-device", "/dev/vdb"));

    assertThat(Preflight.failed(checks)).as(checks.toString()).isFalse();
    assertThat(checks)
        .filteredOn(c -> c.name().equals("docker-data"))
        .singleElement()
        .satisfies(
            c -> assertThat(c.detail()).contains("moved aside to /var/lib/docker.pre-lain-"));
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        row("not root", f -> f.withUid(1000), List.of(), "root", Check.Status.FAILED, "uid 1000"),
        row(
            "not root, dry run",
            f -> f.withUid(1000),
            List.of("--dry-run"),
            "root",
            Check.Status.WARNING,
            "enough for --dry-run"),
        row(
            "no systemd in cluster mode",
            f -> f.withSystemd(false),
            List.of(),
            "systemd",
            Check.Status.FAILED,
            "pass --no-systemd"),
        row(
            "no systemd on a single node",
            f -> f.withSystemd(false),
            List.of("--single-node"),
            "systemd",
            Check.Status.WARNING,
            "pid files"),
        row(
            "old kernel",
            f -> f.withKernelRelease("3.2.0-4-amd64"),
            List.of(),
            "kernel",
            Check.Status.FAILED,
            "older than 3.10"),
        row(
            "unreadable kernel",
            f -> f.withKernelRelease("weird"),
            List.of(),
            "kernel",
            Check.Status.FAILED,
            "cannot read"),
        row(
            "unknown kernel",
            f -> f.withKernelRelease(""),
            List.of(),
            "kernel",
            Check.Status.FAILED,
            "unknown"),
        row(
            "no apt-get",
            f -> f.withCommands(Set.of("curl", "dpkg")),
            List.of(),
            "package-manager",
            Check.Status.FAILED,
            "apt-get not found"),
        row(
            "no curl",
            f -> f.withCommands(Set.of("apt-get", "dpkg")),
            List.of(),
            "curl",
            Check.Status.WARNING,
            "installed with the packages"),
        row(
            "node IP not on this machine",
            f -> f,
            List.of("--node-ip", "10.9.9.9"),
            "node-ip",
            Check.Status.FAILED,
            "10.9.9.9 is not an address of this machine; it has 192.168.77.21 (eth0)"),
        row(
            "no default route",
            f ->
                new Facts(
                    0,
                    true,
                    "6.1.0",
                    f.commands(),
                    "node1",
                    f.addresses(),
                    Optional.empty(),
                    Optional.empty(),
                    f.installed()),
            List.of(),
            "node",
            Check.Status.FAILED,
            "no default route; pass --node-ip IP"),
        row(
            "host name unfit as node name",
            f -> f.withHostname("My_Host"),
            List.of(),
            "node",
            Check.Status.FAILED,
            "pass -n/--node-name"),
        row(
            "derived IP outside the given network",
            f -> f,
            List.of("--node-network", "10.0.0.0/8"),
            "node-network",
            Check.Status.FAILED,
            "192.168.77.21 is not inside --node-network 10.0.0.0/8"),
        row(
            "device missing",
            f -> withDisk(Facts.Device.missing("/dev/vdb")),
            List.of("--docker-device", "/dev/vdb"),
            "device",
            Check.Status.FAILED,
            "/dev/vdb does not exist"),
        row(
            "device not a block device",
            f -> withDisk(new Facts.Device("/dev/vdb", true, false, 0, List.of(), List.of())),
            List.of("--docker-device", "/dev/vdb"),
            "device",
            Check.Status.FAILED,
            "not a block device"),
        row(
            "device too small",
            f -> withDisk(new Facts.Device("/dev/vdb", true, true, 8 * GIB, List.of(), List.of())),
            List.of("--docker-device", "/dev/vdb"),
            "device-size",
            Check.Status.FAILED,
            "8.0 GiB, less than the 10 GiB"),
        row(
            "device mounted",
            f ->
                withDisk(
                    new Facts.Device(
                        "/dev/vdb", true, true, 50 * GIB, List.of("/data"), List.of())),
            List.of("--docker-device", "/dev/vdb"),
            "device-mounted",
            Check.Status.FAILED,
            "mounted on /data"),
        row(
            "device has a filesystem",
            f ->
                withDisk(
                    new Facts.Device("/dev/vdb", true, true, 50 * GIB, List.of(), List.of("ext4"))),
            List.of("--docker-device", "/dev/vdb"),
            "device-signature",
            Check.Status.FAILED,
            "holds ext4: pass --force"),
        row(
            "docker holds containers and images",
            f ->
                withDisk(Fixtures.emptyDisk("/dev/vdb"))
                    .withInstalled(
                        Facts.Installed.nothing()
                            .withDockerContents(new Facts.DockerContents(2, 3))),
            List.of("--docker-device", "/dev/vdb"),
            "docker-data",
            Check.Status.FAILED,
            "Docker holds 2 containers, 3 images in /var/lib/docker: remove them"),
        row(
            "docker holds containers and images, forced",
            f ->
                withDisk(Fixtures.emptyDisk("/dev/vdb"))
                    .withInstalled(
                        Facts.Installed.nothing()
                            .withDockerContents(new Facts.DockerContents(1, 1))),
            List.of("--docker-device", "/dev/vdb", "--force"),
            "docker-data",
            Check.Status.WARNING,
            "1 container, 1 image"),
        row(
            "device has LVM of someone else",
            f ->
                withDisk(
                    new Facts.Device(
                        "/dev/vdb", true, true, 50 * GIB, List.of(), List.of("LVM2_member"))),
            List.of("--docker-device", "/dev/vdb"),
            "device-signature",
            Check.Status.FAILED,
            "holds LVM2_member"),
        row(
            "device has a filesystem, forced",
            f ->
                withDisk(
                    new Facts.Device(
                        "/dev/vdb",
                        true,
                        true,
                        50 * GIB,
                        List.of(),
                        List.of("xfs", "gpt partition table"))),
            List.of("--docker-device", "/dev/vdb", "--force"),
            "device-signature",
            Check.Status.WARNING,
            "--force given, it will be wiped"),
        row(
            "store holds three nodes",
            f ->
                f.withInstalled(
                    Facts.Installed.nothing()
                        .withRunning(Set.of("lain-etcd"))
                        .withStore(
                            store(
                                "node1:192.168.77.21:22",
                                "node2:192.168.77.22:22",
                                "node3:192.168.77.23:22"))),
            List.of(),
            "first-node",
            Check.Status.FAILED,
            "already holds 3 nodes"),
        row(
            "store holds another node",
            f ->
                f.withInstalled(
                    Facts.Installed.nothing()
                        .withRunning(Set.of("lain-etcd"))
                        .withStore(store("node7:192.168.77.27:22"))),
            List.of(),
            "first-node",
            Check.Status.FAILED,
            "node7:192.168.77.27:22, not this one"),
        row(
            "cluster mode on a single-node machine",
            f -> f.withInstalled(Facts.Installed.nothing().withStore(store("vm:127.0.0.1:22"))),
            List.of(),
            "first-node",
            Check.Status.FAILED,
            "moving it to cluster mode is not supported"),
        row(
            "container network overlaps the node network",
            f -> f,
            List.of("--container-network", "192.168.0.0/16"),
            "container-network",
            Check.Status.FAILED,
            "the container network 192.168.0.0/16 overlaps the node network 192.168.77.0/24"),
        row(
            "container network overlaps Docker's bridge",
            f -> f,
            List.of("--container-network", "172.16.0.0/12"),
            "container-network",
            Check.Status.FAILED,
            "overlaps Docker's default bridge docker0 172.17.0.0/16"),
        row(
            "a joining node whose Docker bridge lies in the cluster's pool",
            f ->
                f.withAddresses(
                    List.of(
                        new Facts.HostAddress("lo", "127.0.0.1", 8),
                        new Facts.HostAddress("eth0", "192.168.77.22", 24),
                        new Facts.HostAddress("docker0", "172.20.0.1", 16))),
            List.of(
                "--storage-only",
                "--node-ip",
                "192.168.77.22",
                "--container-network",
                "172.20.0.0/16"),
            "container-network",
            Check.Status.FAILED,
            "overlaps Docker's bridge docker0 172.20.0.0/16"),
        row(
            "container network of a cluster whose nodes hold blocks cannot change",
            f ->
                f.withInstalled(
                    Facts.Installed.nothing()
                        .withRunning(Set.of("lain-etcd"))
                        .withStore(
                            store("node1:192.168.77.21:22")
                                .withContainerNetwork(
                                    Optional.of(
                                        new NetworkSettings(
                                            new AddressPool(AddressPool.DEFAULT_NETWORK, 24),
                                            false)))
                                .withBlocks(
                                    List.of(
                                        new NodeBlock(
                                            Cidr.parse("172.20.0.0/24"),
                                            "node1",
                                            "192.168.77.21"))))),
            List.of("--container-network", "10.100.0.0/16"),
            "container-network",
            Check.Status.FAILED,
            "the cluster's container network is 172.20.0.0/16 and nodes hold blocks of it:"
                + " --container-network 10.100.0.0/16 cannot replace it"));
  }

  private static Facts.StoreContents store(String... nodes) {
    return Facts.StoreContents.empty().withNodes(List.of(nodes));
  }

  private static Arguments row(
      String name,
      UnaryOperator<Facts> facts,
      List<String> args,
      String check,
      Check.Status status,
      String detail) {
    return Arguments.of(name, facts, args, check, status, detail);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void checkReportsTheProblem(
      String name,
      UnaryOperator<Facts> facts,
      List<String> args,
      String check,
      Check.Status status,
      String detail) {
    List<Check> checks =
        Preflight.check(
            facts.apply(Fixtures.freshDebian()), Fixtures.options(args.toArray(String[]::new)));

    assertThat(checks)
        .filteredOn(c -> c.name().equals(check))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.status()).isEqualTo(status);
              assertThat(c.detail()).contains(detail);
            });
    assertThat(Preflight.failed(checks)).isEqualTo(status == Check.Status.FAILED);
  }

  @Test
  void freshDebianPassesEveryCheckInBothModes() {
    assertThat(Preflight.check(Fixtures.freshDebian(), Fixtures.options()))
        .allMatch(c -> c.status() == Check.Status.OK);
    assertThat(Preflight.check(Fixtures.freshDebian(), Fixtures.options("--single-node")))
        .allMatch(c -> c.status() == Check.Status.OK);
  }

  @Test
  void emptyDiskPassesTheDeviceChecks() {
    List<Check> checks =
        Preflight.check(
            withDisk(Fixtures.emptyDisk("/dev/vdb")),
            Fixtures.options("--docker-device", "/dev/vdb"));

    assertThat(checks)
        .extracting(Check::name)
        .contains("device", "device-size", "device-mounted", "device-signature");
    assertThat(Preflight.failed(checks)).isFalse();
  }

  @Test
  void failedPreflightExitsOneAndSaysNothingChanged() {
    Runs run = Runs.run(o -> Fixtures.freshDebian().withUid(1000), "--execute", "--single-node");

    assertThat(run.exitCode()).isEqualTo(BootstrapMain.PREFLIGHT_FAILED);
    assertThat(run.out()).containsPattern("root +FAILED +uid 1000");
    assertThat(run.err()).contains("nothing was changed");
  }

  @Test
  void kernelVersionsCompareByMajorThenMinor() {
    assertThat(KernelVersion.parse("3.10.0-1160.el7.x86_64")).contains(new KernelVersion(3, 10));
    assertThat(KernelVersion.parse("4.9.0").orElseThrow()).isGreaterThan(new KernelVersion(3, 10));
    assertThat(KernelVersion.parse("3.9.11").orElseThrow()).isLessThan(new KernelVersion(3, 10));
    assertThat(KernelVersion.parse("x")).isEmpty();
  }
}
