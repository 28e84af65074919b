package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.records.config.ClusterConfig;
import dev.lain.records.config.ConfigKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dry-run output (checks and plan) for a table of flag combinations, against files in
 * src/test/resources/golden. Regenerate with {@code -Dlain.golden.update=true} and review the diff.
 */
class PlanGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<Arguments> cases() {
    Function<Options, Facts> fresh = o -> Fixtures.freshDebian();
    Function<Options, Facts> freshWithDisk =
        o -> Fixtures.freshDebian().withDevice(Optional.of(Fixtures.emptyDisk("/dev/vdb")));
    Function<Options, Facts> freshNoSystemd = o -> Fixtures.freshDebian().withSystemd(false);
    Function<Options, Facts> freshWithDiskNoDeviceMapper =
        o ->
            Fixtures.freshDebian()
                .withDevice(Optional.of(Fixtures.emptyDisk("/dev/vdb").withoutDeviceMapper()));
    return Stream.of(
        Arguments.of("single-node-defaults", fresh, List.of("--single-node", "--dry-run")),
        Arguments.of("cluster-defaults", fresh, List.of("--dry-run")),
        Arguments.of(
            "seed-command-ipip",
            freshWithDisk,
            List.of(
                "--dry-run",
                "-r",
                "registry.aliyuncs.com/laincloud",
                "--docker-device=/dev/vdb",
                "--ipip")),
        Arguments.of(
            "cluster-device-mirror",
            freshWithDisk,
            List.of(
                "--dry-run",
                "--docker-device",
                "/dev/vdb",
                "-m",
                "https://l2ohopf9.mirror.aliyuncs.com/",
                "-n",
                "node1",
                "--node-ip",
                "192.168.77.21",
                "--node-network",
                "192.168.77.0/24")),
        Arguments.of("cluster-no-systemd", freshNoSystemd, List.of("--dry-run", "--no-systemd")),
        Arguments.of(
            "single-node-no-systemd",
            freshNoSystemd,
            List.of("--dry-run", "--single-node", "--no-systemd")),
        Arguments.of(
            "registry-bootstrap",
            fresh,
            List.of(
                "--dry-run", "-r", "registry.aliyuncs.com/laincloud", "--domain", "example.org")),
        Arguments.of(
            "second-run-single-node",
            secondRun(fresh, "--single-node", "--dry-run"),
            List.of("--single-node", "--dry-run")),
        Arguments.of(
            "second-run-cluster-device",
            secondRun(
                freshWithDisk,
                "--dry-run",
                "--docker-device",
                "/dev/vdb",
                "-m",
                "https://mirror.example.com"),
            List.of(
                "--dry-run", "--docker-device", "/dev/vdb", "-m", "https://mirror.example.com")),
        Arguments.of(
            "second-run-other-domain",
            secondRun(fresh, "--dry-run"),
            List.of("--dry-run", "--domain", "example.org")),
        Arguments.of(
            "storage-only",
            freshWithDisk,
            List.of(
                "--dry-run",
                "--storage-only",
                "--docker-device",
                "/dev/vdb",
                "--node-ip",
                "192.168.77.21",
                "--domain",
                "example.org",
                "-m",
                "https://mirror.example.com")),
        Arguments.of(
            "device-without-device-mapper",
            freshWithDiskNoDeviceMapper,
            List.of("--dry-run", "--docker-device", "/dev/vdb")),
        Arguments.of(
            "second-run-device-without-device-mapper",
            secondRun(freshWithDiskNoDeviceMapper, "--dry-run", "--docker-device", "/dev/vdb"),
            List.of("--dry-run", "--docker-device", "/dev/vdb")),
        Arguments.of(
            "node-docker-without-device",
            fresh,
            List.of(
                "--dry-run",
                "--storage-only",
                "--node-ip",
                "192.168.77.21",
                "--node-network",
                "192.168.77.0/24")),
        Arguments.of(
            "second-run-storage-only",
            secondRun(
                freshWithDisk,
                "--dry-run",
                "--storage-only",
                "--docker-device",
                "/dev/vdb",
                "--node-ip",
                "192.168.77.21"),
            List.of(
                "--dry-run",
                "--storage-only",
                "--docker-device",
                "/dev/vdb",
                "--node-ip",
                "192.168.77.21")),
        Arguments.of(
            "refused-on-a-cluster-of-three",
            (Function<Options, Facts>)
                o ->
                    Fixtures.freshDebian()
                        .withInstalled(
                            Facts.Installed.nothing()
                                .withRunning(java.util.Set.of("lain-etcd"))
                                .withPresentFiles(java.util.Set.of(Layout.ADMIN_CLI_CONFIG))
                                .withStore(
                                    new Facts.StoreContents(
                                        ClusterConfig.fromStored(
                                            java.util.Map.of(ConfigKey.DOMAIN, "lain.local"), 0),
                                        Optional.empty(),
                                        List.of(
                                            "node1:192.168.77.21:22",
                                            "node2:192.168.77.22:22",
                                            "node3:192.168.77.23:22"),
                                        java.util.Map.of("web", List.of("*.lain.local", "*.lain")),
                                        true,
                                        Optional.empty(),
                                        List.of()))),
            List.of("--dry-run")));
  }

  /** Facts of a machine where the plan for {@code firstRunArgs} was carried out. */
  private static Function<Options, Facts> secondRun(
      Function<Options, Facts> before, String... firstRunArgs) {
    return o -> {
      Options first = Fixtures.options(firstRunArgs);
      Facts facts = before.apply(first);
      return Fixtures.afterRun(facts, Plan.of(first, facts));
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void dryRunMatchesGoldenFile(String name, Function<Options, Facts> probe, List<String> args)
      throws IOException {
    Runs run = Runs.run(probe, args.toArray(String[]::new));
    String actual =
        "$ ./bootstrap "
            + String.join(" ", args)
            + "\n"
            + run.out()
            + run.err()
            + "exit "
            + run.exitCode()
            + "\n";
    Path file = GOLDEN.resolve(name + ".txt");
    if (Boolean.getBoolean("lain.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file (regenerate with -Dlain.golden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
