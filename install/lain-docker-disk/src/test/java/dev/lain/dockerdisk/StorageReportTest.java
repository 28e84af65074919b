package dev.lain.dockerdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StorageReportTest {
  static final Path ROOT = Path.of("/var/lib/docker");

  @Test
  void overlay2OnXfsIsProductionStorage() {
    StorageReport report =
        StorageReport.fromInfoJson(
            """
            {"Driver": "overlay2", "DockerRootDir": "/var/lib/docker",
             "DriverStatus": [["Backing Filesystem", "xfs"], ["Supports d_type", "true"],
                              ["Native Overlay Diff", "true"], ["userxattr", "false"]],
             "Warnings": null}
            """);

    assertThat(report.problems(ROOT)).isEmpty();
    assertThat(report.summary())
        .isEqualTo(
            "Storage Driver: overlay2, Backing Filesystem: xfs, Supports d_type: true,"
                + " Docker Root Dir: /var/lib/docker, Warnings: none");
  }

  @Test
  void loopLvmIsRefusedByName() {
    // What docker info says on a CentOS node bootstrapped without --docker-device.
    StorageReport report =
        StorageReport.fromInfoJson(
            """
            {"Driver": "devicemapper", "DockerRootDir": "/var/lib/docker",
             "DriverStatus": [["Pool Name", "docker-253:0-1-pool"],
                              ["Backing Filesystem", "xfs"],
                              ["Data loop file", "/var/lib/docker/devicemapper/devicemapper/data"],
                              ["Metadata loop file",
                               "/var/lib/docker/devicemapper/devicemapper/metadata"]],
             "Warnings": ["WARNING: devicemapper: usage of loopback devices is strongly\
             discouraged for production use.\\n         Use `--storage-opt dm.thinpooldev` to\
             specify a custom block storage device."]}
            """);

    assertThatThrownBy(() -> report.requireProduction(ROOT))
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith(
            "Docker uses loopback storage: Data loop file:"
                + " /var/lib/docker/devicemapper/devicemapper/data; Metadata loop file:"
                + " /var/lib/docker/devicemapper/devicemapper/metadata; WARNING: devicemapper:"
                + " usage of loopback devices is strongly discouraged")
        .hasMessageContaining("Docker's storage driver is devicemapper, not overlay2");
  }

  @Test
  void overlay2OnTheRootFileSystemMeansTheMountIsMissing() {
    StorageReport report =
        StorageReport.fromInfoJson(
            """
            {"Driver": "overlay2", "DockerRootDir": "/var/lib/docker",
             "DriverStatus": [["Backing Filesystem", "extfs"], ["Supports d_type", "true"]]}
            """);

    assertThat(report.problems(ROOT))
        .containsExactly(
            "Docker's backing file system is extfs, not xfs: is /var/lib/docker mounted from the"
                + " Docker device?");
  }

  @Test
  void xfsWithoutFtypeAndAnotherRootAreReported() {
    StorageReport report =
        StorageReport.fromInfoJson(
            """
            {"Driver": "overlay2", "DockerRootDir": "/data/docker",
             "DriverStatus": [["Backing Filesystem", "xfs"], ["Supports d_type", "false"]]}
            """);

    assertThat(report.problems(ROOT))
        .containsExactly(
            "the file system under /data/docker lacks d_type (xfs made without ftype=1):"
                + " overlay2 cannot work on it",
            "Docker's root dir is /data/docker, not /var/lib/docker (daemon.json data-root not"
                + " applied? restart dockerd)");
  }
}
