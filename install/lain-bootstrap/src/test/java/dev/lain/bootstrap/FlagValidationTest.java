package dev.lain.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlagValidationTest {

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of(
            List.of("--node-ip", "300.1.2.3"), "--node-ip: '300.1.2.3' has an octet above 255"),
        Arguments.of(List.of("--node-ip", "node1"), "--node-ip: 'node1' must be an IPv4 address"),
        Arguments.of(List.of("--node-ip", "0.0.0.0"), "--node-ip: '0.0.0.0' is not a host address"),
        Arguments.of(
            List.of("--node-ip", "239.1.1.1"), "--node-ip: '239.1.1.1' is a multicast address"),
        Arguments.of(
            List.of("--node-ip", "127.0.0.1"), "--node-ip: '127.0.0.1' is a loopback address"),
        Arguments.of(
            List.of("--node-network", "10.0.0.0"),
            "--node-network: '10.0.0.0' must be a network in CIDR form"),
        Arguments.of(
            List.of("--node-network", "10.0.0.5/24"),
            "--node-network: '10.0.0.5/24' has host bits set: did you mean 10.0.0.0/24?"),
        Arguments.of(
            List.of("--node-network", "10.0.0.0/33"), "--node-network: prefix length '33'"),
        Arguments.of(
            List.of("--node-ip", "10.0.1.5", "--node-network", "10.0.0.0/24"),
            "--node-ip '10.0.1.5' is not inside --node-network '10.0.0.0/24'"),
        Arguments.of(
            List.of("-n", "Node_1"), "-n/--node-name: 'Node_1' must be one lower-case DNS label"),
        Arguments.of(
            List.of("--node-name", "node-"),
            "-n/--node-name: 'node-' must be one lower-case DNS label"),
        Arguments.of(
            List.of("--node-name", ""), "-n/--node-name: '' must be one lower-case DNS label"),
        Arguments.of(List.of("--domain", "lain"), "--domain: domain 'lain' is reserved"),
        Arguments.of(
            List.of("--domain", "my_domain.com"), "--domain: domain 'my_domain.com' contains '_'"),
        Arguments.of(List.of("--domain", ""), "--domain: the value is empty"),
        Arguments.of(
            List.of("-m", "ftp://mirror.example.com"),
            "-m/--registry-mirror: 'ftp://mirror.example.com' must be an http:// or https:// URL"),
        Arguments.of(
            List.of("--registry-mirror", "mirror.example.com"),
            "-m/--registry-mirror: 'mirror.example.com' must be an http:// or https:// URL"),
        Arguments.of(
            List.of("-r", "https://docker.io/laincloud"),
            "-r/--registry-bootstrap: 'https://docker.io/laincloud' must be a registry host and namespace without a scheme"),
        Arguments.of(
            List.of("-r", "docker.io/LainCloud"),
            "-r/--registry-bootstrap: 'docker.io/LainCloud' has a bad namespace part 'LainCloud'"),
        Arguments.of(
            List.of("-r", "docker.io:99999/lain"),
            "-r/--registry-bootstrap: 'docker.io:99999/lain' has a bad port '99999'"),
        Arguments.of(
            List.of("--docker-device", "vdb"),
            "--docker-device: 'vdb' must be a device path under /dev"),
        Arguments.of(
            List.of("--docker-device", "/tmp/disk.img"),
            "--docker-device: '/tmp/disk.img' must be a device path under /dev"),
        Arguments.of(
            List.of("--docker-device", "/dev/../etc/passwd"),
            "--docker-device: '/dev/../etc/passwd' must be a plain device path under /dev"),
        Arguments.of(
            List.of("--docker-device", "/dev/"), "--docker-device: '/dev/' is not a device path"),
        Arguments.of(List.of("--force"), "--force only applies to --docker-device"),
        Arguments.of(
            List.of("--storage-only", "--docker-device", "/dev/vdb", "--single-node"),
            "--storage-only and --single-node cannot be combined"),
        Arguments.of(
            List.of("--container-network", "172.20.0.0"),
            "--container-network '172.20.0.0': '172.20.0.0' must be a network in CIDR form"),
        Arguments.of(
            List.of("--container-network", "172.20.1.0/16"),
            "--container-network '172.20.1.0/16': '172.20.1.0/16' has host bits set: did you mean"
                + " 172.20.0.0/16?"),
        Arguments.of(
            List.of("--container-network", "10.9.0.0/26"),
            "--container-network '10.9.0.0/26': the container network 10.9.0.0/26 is too small"),
        Arguments.of(
            List.of("--container-network", "127.0.0.0/16"),
            "--container-network '127.0.0.0/16': the container network 127.0.0.0/16 overlaps"),
        Arguments.of(
            List.of("--storage-only", "--ipip"),
            "--ipip is the cluster's, set on its first node (lainctl network ipip on|off)"),
        Arguments.of(
            List.of("--vip", "192.168.77.201"), "--vip '192.168.77.201' is not supported yet"),
        Arguments.of(
            List.of("--http-port", "0"), "--http-port: '0' must be a port number from 1 to 65535"),
        Arguments.of(
            List.of("--https-port", "http"),
            "--https-port: 'http' must be a port number from 1 to 65535"),
        Arguments.of(
            List.of("--http-port", "8443", "--https-port", "8443"),
            "--http-port and --https-port are both 8443"),
        Arguments.of(List.of("--download-only"), "unknown option --download-only"),
        Arguments.of(List.of("extra"), "unexpected argument 'extra'"),
        Arguments.of(
            List.of("--root", "relative/dir"),
            "--root: 'relative/dir' must be an absolute directory"),
        Arguments.of(
            List.of("--laind", "bin/laind"), "--laind: 'bin/laind' must be an absolute path"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFlags")
  void badFlagIsRejectedNamingFlagAndValue(List<String> args, String problem) {
    Options.Parsed parsed = Options.parse(args.toArray(String[]::new));

    assertThat(parsed).isInstanceOf(Options.Parsed.Invalid.class);
    assertThat(((Options.Parsed.Invalid) parsed).problems()).anyMatch(p -> p.contains(problem));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFlags")
  void badFlagExitsTwoBeforeProbing(List<String> args, String problem) {
    Runs run =
        Runs.run(
            o -> {
              throw new AssertionError("probed despite bad flags");
            },
            args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(BootstrapMain.USAGE);
    assertThat(run.err()).contains("error: ").contains(problem).contains("nothing was changed");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Options.Parsed parsed =
        Options.parse(
            "--node-ip",
            "1.2.3.999",
            "-n",
            "A B",
            "--domain",
            "x..y",
            "--container-network",
            "10.0.0.0/30",
            "--docker-device",
            "sdb",
            "-m",
            "nope");

    assertThat(((Options.Parsed.Invalid) parsed).problems())
        .hasSize(6)
        .anyMatch(p -> p.startsWith("--node-ip"))
        .anyMatch(p -> p.startsWith("-n/--node-name"))
        .anyMatch(p -> p.startsWith("--domain"))
        .anyMatch(p -> p.startsWith("--container-network"))
        .anyMatch(p -> p.startsWith("--docker-device"))
        .anyMatch(p -> p.startsWith("-m/--registry-mirror"));
  }

  @Test
  void clusterModeIsTheDefaultAndSingleNodeIsAskedFor() {
    assertThat(Fixtures.options().mode()).isEqualTo(Mode.CLUSTER);
    assertThat(Fixtures.options("--single-node").mode()).isEqualTo(Mode.SINGLE_NODE);
  }

  @Test
  void defaultsAreLainLocalAndPorts80And443() {
    Options options = Fixtures.options();

    assertThat(options.domain()).isEqualTo("lain.local");
    assertThat(options.httpPort()).isEqualTo(80);
    assertThat(options.httpsPort()).isEqualTo(443);
    assertThat(options.nodeIp()).isEmpty();
    assertThat(options.dryRun()).isFalse();
  }

  @Test
  void valuesAreKeptInCanonicalForm() {
    Options options =
        Fixtures.options(
            "-m",
            "https://l2ohopf9.mirror.aliyuncs.com/",
            "--domain",
            "Example.ORG",
            "-r",
            "registry.aliyuncs.com/laincloud/",
            "--node-network",
            "10.1.0.0/16",
            "--node-ip",
            "10.1.2.3",
            "--docker-device",
            "/dev/vdb",
            "--force");

    assertThat(options.registryMirror()).contains("https://l2ohopf9.mirror.aliyuncs.com");
    assertThat(options.domain()).isEqualTo("example.org");
    assertThat(options.registryBootstrap()).contains("registry.aliyuncs.com/laincloud");
    assertThat(options.nodeNetwork()).contains("10.1.0.0/16");
    assertThat(options.dockerDevice()).contains("/dev/vdb");
    assertThat(options.force()).isTrue();
  }

  @Test
  void loopbackNodeIpIsFineOnASingleNode() {
    assertThat(Fixtures.options("--single-node", "--node-ip", "127.0.0.1").nodeIp())
        .isEqualTo(Optional.of("127.0.0.1"));
  }

  @Test
  void helpIsNotAnError() {
    Runs run = Runs.run(o -> Fixtures.freshDebian(), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("--docker-device")
        .contains("--single-node")
        .contains("--ipip")
        .contains("--container-network")
        .doesNotContain("--vip");
  }
}
