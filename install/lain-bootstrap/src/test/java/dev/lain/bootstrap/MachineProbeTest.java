package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.exec.CommandRunner;
import dev.lain.exec.ProcessCommandRunner;
import dev.lain.testkit.LoopDevice;
import dev.lain.testkit.RequiredServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineProbeTest {
  @TempDir Path sandbox;

  /** Answers the commands it knows; any other is "not found". */
  private static final class CannedRunner implements CommandRunner {
    final Map<String, Result> answers = new HashMap<>();

    CannedRunner answer(String command, Result result) {
      answers.put(command, result);
      return this;
    }

    CannedRunner has(String... programs) {
      for (String p : programs) {
        answer("sh -c command -v " + p, Result.ok("/usr/bin/" + p + "\n"));
      }
      return this;
    }

    @Override
    public Result run(List<String> command) {
      return answers.getOrDefault(String.join(" ", command), Result.notFound());
    }
  }

  private static final String IP_ADDR =
      """
      1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
      2: eth0    inet 192.168.77.21/24 brd 192.168.77.255 scope global eth0\\       valid_lft forever
      3: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever
      """;

  @Test
  void cannedOutputsBecomeFacts() throws IOException {
    Files.createDirectories(sandbox.resolve("run/systemd/system"));
    Files.createDirectories(sandbox.resolve("etc/docker"));
    Files.writeString(sandbox.resolve("etc/docker/daemon.json"), "{\"debug\": true}\n");
    CannedRunner runner =
        new CannedRunner()
            .has("curl", "apt-get", "dpkg", "systemctl", "ip", "docker")
            .answer("id -u", CommandRunner.Result.ok("0\n"))
            .answer("uname -r", CommandRunner.Result.ok("6.1.0-18-amd64\n"))
            .answer("hostname", CommandRunner.Result.ok("node1.example.com\n"))
            .answer("ip -o -4 addr show", CommandRunner.Result.ok(IP_ADDR))
            .answer(
                "ip -4 route show default",
                CommandRunner.Result.ok(
                    "default via 192.168.77.1 dev eth0 proto dhcp metric 100\n"))
            .answer(
                "docker info --format {{.ServerVersion}}", CommandRunner.Result.ok("20.10.24\n"));
    String dpkg = "dpkg-query -W -f=${Package} ${Status}\\n " + String.join(" ", asked());
    runner.answer(
        dpkg,
        new CommandRunner.Result(
            1,
            "docker.io install ok installed\nnginx deinstall ok config-files\ncurl install ok installed\n",
            "dpkg-query: no packages found matching etcd-server\n"));
    runner.answer(
        "systemctl is-active " + String.join(" ", MachineProbe.SERVICES),
        new CommandRunner.Result(
            3,
            "active\ninactive\ninactive\nactive\nactive\ninactive\ninactive\nactive\nfailed\ninactive\n",
            ""));

    Options options = Fixtures.options().withRoot(sandbox);
    Facts facts = new MachineProbe(runner, StoreReader.NONE).probe(options);

    assertThat(facts.uid()).isZero();
    assertThat(facts.systemd()).isTrue();
    assertThat(facts.kernelRelease()).isEqualTo("6.1.0-18-amd64");
    assertThat(facts.hostname()).isEqualTo("node1.example.com");
    assertThat(facts.commands()).contains("curl", "apt-get", "dpkg").doesNotContain("blkid");
    assertThat(facts.addresses())
        .contains(
            new Facts.HostAddress("eth0", "192.168.77.21", 24),
            new Facts.HostAddress("docker0", "172.17.0.1", 16));
    assertThat(facts.defaultInterface()).contains("eth0");
    assertThat(facts.installed().packages()).containsExactlyInAnyOrder("docker.io", "curl");
    assertThat(facts.installed().runningServices())
        .containsExactlyInAnyOrder("docker", "lain-registry", "lain-node", "lain-router");
    assertThat(facts.installed().dockerRunning()).isTrue();
    assertThat(facts.installed().baseImage()).isFalse();
    assertThat(facts.installed().file(Layout.DAEMON_JSON)).contains("{\"debug\": true}\n");
    assertThat(facts.device()).isEmpty();
    // The node's name is the host name's first label.
    assertThat(Preflight.check(facts, options))
        .anyMatch(c -> c.detail().equals("node1 192.168.77.21"));
  }

  @Test
  void theCaAndTheAdminsCliLoginAreSeenButNotRead() throws IOException {
    Files.createDirectories(sandbox.resolve("etc/lain/ssl"));
    Files.writeString(sandbox.resolve("etc/lain/ssl/ca.crt"), "a certificate\n");
    Files.createDirectories(sandbox.resolve("root/.lain"));
    Files.writeString(sandbox.resolve("root/.lain/lain.conf.yaml"), "token: secret\n");
    Options options = Fixtures.options().withRoot(sandbox);

    Facts facts = new MachineProbe(new CannedRunner(), StoreReader.NONE).probe(options);

    assertThat(facts.installed().presentFiles())
        .containsExactlyInAnyOrder(Layout.CA_CERT, Layout.ADMIN_CLI_CONFIG);
    assertThat(facts.installed().exists(Layout.ADMIN_CLI_CONFIG)).isTrue();
    assertThat(facts.installed().file(Layout.ADMIN_CLI_CONFIG)).isEmpty();
    assertThat(facts.installed().exists(Layout.CA_KEY)).isFalse();
  }

  private static List<String> asked() {
    java.util.LinkedHashSet<String> asked =
        new java.util.LinkedHashSet<>(Plan.packages(Fixtures.options()));
    asked.addAll(Plan.packages(Fixtures.options()));
    return List.copyOf(asked);
  }

  @Test
  void blkidExportNamesFilesystemsAndPartitionTables() {
    assertThat(MachineProbe.signatures("DEVNAME=/dev/vdb\nUUID=abc\nTYPE=ext4\nUSAGE=filesystem\n"))
        .containsExactly("ext4");
    assertThat(MachineProbe.signatures("DEVNAME=/dev/vdb\nPTUUID=x\nPTTYPE=gpt\n"))
        .containsExactly("gpt partition table");
    assertThat(MachineProbe.signatures("TYPE=LVM2_member\n")).containsExactly("LVM2_member");
    assertThat(MachineProbe.signatures("")).isEmpty();
  }

  @Test
  void aDevicePathThatIsAFileIsNotABlockDevice() throws IOException {
    Files.createDirectories(sandbox.resolve("dev"));
    Files.writeString(sandbox.resolve("dev/vdb"), "not a disk");
    CannedRunner runner = new CannedRunner().has("lsblk", "blkid");
    Options options = Fixtures.options("--docker-device", "/dev/vdb").withRoot(sandbox);

    Facts facts = new MachineProbe(runner, StoreReader.NONE).probe(options);

    assertThat(facts.device())
        .contains(new Facts.Device("/dev/vdb", true, false, 0, List.of(), List.of()));
  }

  @Test
  void theDockerDataRootIsMountedFromTheTopmostOfStackedMounts() {
    CannedRunner runner =
        new CannedRunner()
            .has("findmnt")
            .answer(
                "findmnt -n -o SOURCE --mountpoint " + sandbox.resolve("var/lib/docker"),
                CommandRunner.Result.ok("/dev/vda[/srv/machine/var/lib/docker]\n/dev/vdb\n"));
    Facts facts =
        new MachineProbe(runner, StoreReader.NONE)
            .probe(Fixtures.options("--docker-device", "/dev/vdb").withRoot(sandbox));

    assertThat(facts.installed().dockerDataSource()).contains("/dev/vdb");
  }

  @Test
  void pidFilesOfProcessesStartedAsTheServiceCountAsRunningServices() throws Exception {
    ProcessBuilder sleep = new ProcessBuilder("sleep", "60");
    sleep.environment().put(Service.MARKER, "lain-router");
    Process router = sleep.start();
    try {
      Files.createDirectories(sandbox.resolve("run/lain"));
      Files.writeString(sandbox.resolve("run/lain/router.pid"), router.pid() + "\n");
      // A live process that is not the service (a pid reused after a crash or a reboot).
      Files.writeString(sandbox.resolve("run/lain/node.pid"), ProcessHandle.current().pid() + "\n");
      Files.writeString(sandbox.resolve("run/lain/registry.pid"), "999999999\n");
      Facts facts =
          new MachineProbe(new CannedRunner(), StoreReader.NONE)
              .probe(Fixtures.options("--single-node").withRoot(sandbox));

      assertThat(facts.installed().runningServices()).containsExactly("lain-router");
      assertThat(facts.systemd()).isFalse();
    } finally {
      router.destroyForcibly();
    }
  }

  @Test
  void realProbeOfThisMachine() {
    RequiredServices.requireRoot("the real probe test");
    RequiredServices.require("curl", "apt-get install curl");
    Options options = Fixtures.options("--single-node");
    Facts facts =
        new MachineProbe(new ProcessCommandRunner(Duration.ofSeconds(20)), StoreReader.NONE)
            .probe(options);

    assertThat(facts.uid()).isZero();
    assertThat(KernelVersion.parse(facts.kernelRelease())).isPresent();
    assertThat(facts.has("curl")).isTrue();
    assertThat(facts.hostname()).isNotBlank();
    assertThat(facts.addresses()).anyMatch(a -> a.ip().equals("127.0.0.1"));
    assertThat(Preflight.check(facts, options))
        .filteredOn(
            c -> c.name().equals("kernel") || c.name().equals("root") || c.name().equals("curl"))
        .allMatch(c -> c.status() == Check.Status.OK);
  }

  @Test
  void realLoopDevice() throws Exception {
    RequiredServices.require("lsblk", "apt-get install util-linux");
    RequiredServices.require("blkid", "apt-get install util-linux");
    ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(30));
    try (LoopDevice disk = LoopDevice.attach(sandbox.resolve("disk.img"), 11 * Fixtures.GIB)) {
      String loop = disk.path();
      Options options = Fixtures.options("--docker-device", loop);
      MachineProbe probe = new MachineProbe(runner, StoreReader.NONE);
      Facts.Device device = probe.probe(options).device().orElseThrow();

      assertThat(device.exists()).isTrue();
      assertThat(device.blockDevice()).isTrue();
      assertThat(device.sizeBytes()).isEqualTo(11 * Fixtures.GIB);
      assertThat(device.mountpoints()).isEmpty();
      assertThat(device.signatures()).isEmpty();

      Optional<Path> mkfs = findMkfs();
      if (mkfs.isEmpty()) {
        System.out.println("skipped the signature part: neither mkfs.ext4 nor mkfs.xfs installed");
        return;
      }
      CommandRunner.Result made =
          runner.run(
              mkfs.get().getFileName().toString().equals("mkfs.ext4")
                  ? List.of(
                      mkfs.get().toString(),
                      "-q",
                      "-F",
                      "-E",
                      "lazy_itable_init=1,lazy_journal_init=1",
                      loop)
                  : List.of(mkfs.get().toString(), "-q", "-f", loop));
      assertThat(made.succeeded()).as(made.stderr()).isTrue();
      Facts formatted = probe.probe(options);

      assertThat(formatted.device().orElseThrow().signatures()).containsAnyOf("ext4", "xfs");
      assertThat(Preflight.check(formatted, options))
          .anyMatch(c -> c.name().equals("device-signature") && c.failed());
    }
  }

  private static Optional<Path> findMkfs() {
    for (String name : List.of("mkfs.ext4", "mkfs.xfs")) {
      for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
