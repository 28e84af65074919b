package dev.lain.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamRegistryTest {
  private static final Duration SHORT = Duration.ofSeconds(30);

  @Test
  void aMachineThatTrustsItFetchesTheImagePutInItOverHttpsUnderItsNameOnly(@TempDir Path dir) {
    RequiredServices.requireRoot("a VPC switch and a machine sandbox");
    try (VpcSwitch vpc = VpcSwitch.create("192.168.77.0/24");
        UpstreamRegistry registry =
            UpstreamRegistry.start(
                vpc, "192.168.77.10/24", "registry.example.test", dir.resolve("registry"));
        MachineSandbox machine = MachineSandbox.start(dir.resolve("machine"), Optional.empty())) {
      registry.put(
          "laincloud/registry",
          "2",
          UpstreamRegistry.programImage(Path.of("/usr/bin/docker-registry"), "/bin/registry"),
          List.of("/bin/registry"));
      vpc.plug(machine, "192.168.77.21/24");

      String manifest =
          "curl -sS --max-time 5 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'"
              + " https://registry.example.test/v2/laincloud/registry/manifests/2";
      Machine.Result untrusted =
          machine.sh(
              manifest.replace(
                  "curl -sS", "curl -sS --resolve registry.example.test:443:192.168.77.10"),
              dir,
              SHORT);
      assertThat(untrusted.exitCode()).as(untrusted.output()).isNotZero();

      assertThat(machine.sh(registry.trustScript(), dir, SHORT).succeeded()).isTrue();
      String ca = " --cacert /etc/docker/certs.d/registry.example.test/ca.crt";
      String layers =
          machine
              .sh(
                  manifest.replace("curl -sS", "curl -sS" + ca)
                      + " | grep -o 'sha256:[0-9a-f]*' | tail -1"
                      + " | xargs -I{} curl -sS"
                      + ca
                      + " https://registry.example.test/v2/laincloud/registry/blobs/{}"
                      + " | tar tz",
                  dir,
                  SHORT)
              .output();
      assertThat(layers).contains("bin/registry").containsPattern("lib.*/libc\\.so");
      assertThat(registry.requestsFor("/v2/laincloud/registry/manifests/2")).isPositive();

      // The certificate names the registry's host only.
      Machine.Result byAddress =
          machine.sh("curl -sS --max-time 5" + ca + " https://192.168.77.10/v2/", dir, SHORT);
      assertThat(byAddress.exitCode()).as(byAddress.output()).isNotZero();
    }
  }
}
