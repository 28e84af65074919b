package dev.lain.dockerdisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DaemonJsonTest {
  static final DaemonSettings CLUSTER =
      DaemonSettings.forCluster(
          "lain.local",
          Path.of("/var/lib/docker"),
          List.of("https://mirror.example"),
          List.of(),
          List.of());

  static Stream<Arguments> merges() {
    return Stream.of(
        Arguments.of(
            "no file yet",
            "",
            CLUSTER,
            """
            {
              "storage-driver": "overlay2",
              "data-root": "/var/lib/docker",
              "registry-mirrors": [
                "https://mirror.example"
              ],
              "insecure-registries": [
                "registry.lain.local"
              ],
              "labels": [
                "group=default"
              ],
              "live-restore": true
            }
            """),
        Arguments.of(
            "unrelated keys kept in place, present values not added twice",
            """
            {"log-driver": "json-file", "log-opts": {"max-size": "10m"},
             "insecure-registries": ["registry.lain.local", "10.0.0.5:5000"],
             "dns": ["10.0.0.2"], "live-restore": false}
            """,
            CLUSTER,
            """
            {
              "log-driver": "json-file",
              "log-opts": {
                "max-size": "10m"
              },
              "insecure-registries": [
                "registry.lain.local",
                "10.0.0.5:5000"
              ],
              "dns": [
                "10.0.0.2"
              ],
              "live-restore": true,
              "storage-driver": "overlay2",
              "data-root": "/var/lib/docker",
              "registry-mirrors": [
                "https://mirror.example"
              ],
              "labels": [
                "group=default"
              ]
            }
            """),
        Arguments.of(
            "LAIN's old devicemapper settings replaced, other storage options kept",
            """
            {"storage-driver": "devicemapper", "graph": "/data/docker",
             "storage-opts": ["dm.datadev=/dev/docker/data", "dm.metadatadev=/dev/docker/meta",
                              "overlay2.override_kernel_check=true"]}
            """,
            new DaemonSettings(Path.of("/data/docker"), List.of(), List.of(), List.of(), List.of()),
            """
            {
              "storage-driver": "overlay2",
              "storage-opts": [
                "overlay2.override_kernel_check=true"
              ],
              "data-root": "/data/docker",
              "live-restore": true
            }
            """),
        Arguments.of(
            "a group set by change-labels survives; a given label replaces its key's value",
            """
            {"labels": ["group=web", "zone=a"]}
            """,
            DaemonSettings.forCluster(
                "example.com",
                Path.of("/var/lib/docker"),
                List.of("http://10.1.1.1:5000"),
                List.of("192.168.77.0/24"),
                List.of("zone=b", "ssd=true")),
            """
            {
              "labels": [
                "group=web",
                "zone=b",
                "ssd=true"
              ],
              "storage-driver": "overlay2",
              "data-root": "/var/lib/docker",
              "registry-mirrors": [
                "http://10.1.1.1:5000"
              ],
              "insecure-registries": [
                "registry.example.com",
                "10.1.1.1:5000",
                "192.168.77.0/24"
              ],
              "live-restore": true
            }
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("merges")
  void mergesLainSettingsKeepingTheRest(
      String name, String existing, DaemonSettings settings, String expected) {
    String merged = DaemonJson.merge(existing, settings);

    assertThat(merged).isEqualTo(expected);
    assertThat(DaemonJson.merge(merged, settings))
        .as("merging again changes nothing")
        .isEqualTo(merged);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "{\"debug\": true,",
            "cannot merge LAIN's settings into daemon.json: not valid JSON (Unexpected end-of-input"),
        Arguments.of(
            "[\"storage-driver\"]",
            "cannot merge LAIN's settings into daemon.json: must be a JSON object, is array;"
                + " nothing was written"),
        Arguments.of(
            "{\"labels\": \"group=default\"}",
            "cannot merge LAIN's settings into daemon.json: \"labels\" must be an array of"
                + " strings, is \"group=default\"; nothing was written"),
        Arguments.of(
            "{\"insecure-registries\": [5000]}",
            "cannot merge LAIN's settings into daemon.json: \"insecure-registries\" must be an"
                + " array of strings, has 5000; nothing was written"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void badExistingJsonIsAClearError(String existing, String message) {
    assertThatThrownBy(() -> DaemonJson.merge(existing, CLUSTER))
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith(message)
        .extracting(e -> ((StorageException) e).code())
        .isEqualTo(StorageException.Code.BAD_DAEMON_JSON);
  }

  @Test
  void writeLeavesABadFileAsItWas(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("daemon.json");
    Files.writeString(file, "{\"debug\": tru");

    assertThatThrownBy(() -> DaemonJson.write(file, CLUSTER))
        .hasMessageStartingWith(file + ": cannot merge");
    assertThat(Files.readString(file)).isEqualTo("{\"debug\": tru");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void writeReplacesTheFileOnlyWhenSomethingChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("docker/daemon.json");

    assertThat(DaemonJson.write(file, CLUSTER)).isTrue();
    assertThat(DaemonJson.write(file, CLUSTER)).isFalse();
    assertThat(Files.readString(file)).contains("\"storage-driver\": \"overlay2\"");
    assertThat(Files.getPosixFilePermissions(file).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE, GROUP_READ, OTHERS_READ]");
  }

  @Test
  void settingsRejectWhatDockerWould() {
    assertThatThrownBy(
            () ->
                DaemonSettings.forCluster(
                    "lain.local", Path.of("/d"), List.of("mirror.example"), List.of(), List.of()))
        .hasMessage("registry mirror: must be an http(s) URL, as Docker wants: mirror.example");
    assertThatThrownBy(
            () ->
                DaemonSettings.forCluster(
                    "lain.local", Path.of("/d"), List.of(), List.of(), List.of("ssd")))
        .hasMessage("label: must be key=value: ssd");
  }
}
