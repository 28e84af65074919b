package dev.lain.dockerdisk;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Docker's storage as the running engine reports it ({@code GET /info}, what {@code docker info}
 * prints), and the check that it is what LAIN prepared: overlay2, on xfs with d_type, at the data
 * root, and no loopback device anywhere.
 *
 * @param driver {@code Driver}, e.g. overlay2
 * @param driverStatus {@code DriverStatus} pairs, e.g. Backing Filesystem -> xfs
 * @param rootDir {@code DockerRootDir}
 * @param warnings {@code Warnings}
 */
public record StorageReport(
    String driver, Map<String, String> driverStatus, String rootDir, List<String> warnings) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public StorageReport {
    driverStatus = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(driverStatus));
    warnings = List.copyOf(warnings);
  }

  /**
   * Asks the engine at {@code dockerHost} (e.g. {@code unix:///var/run/docker.sock}) with a
   * docker-java client of its own.
   */
  public static StorageReport read(URI dockerHost) {
    DefaultDockerClientConfig config =
        new DefaultDockerClientConfig.Builder()
            .withDockerHost(dockerHost.toString())
            .withDockerTlsVerify(false)
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(dockerHost)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofSeconds(30))
            .build();
    try (DockerClient client = DockerClientImpl.getInstance(config, http)) {
      return read(client);
    } catch (IOException e) {
      throw new StorageException(
          StorageException.Code.IO, "cannot close the client of " + dockerHost + ": " + e, e);
    }
  }

  /**
   * Asks the engine behind {@code client}. docker-java's {@code Info} has no {@code Warnings}: the
   * loopback check then rests on DriverStatus's {@code Data loop file}, the very condition dockerd
   * derives its loopback warning from.
   */
  public static StorageReport read(DockerClient client) {
    Info info;
    try {
      info = client.infoCmd().exec();
    } catch (RuntimeException e) {
      throw new StorageException(
          StorageException.Code.IO, "cannot ask Docker for its info: " + e.getMessage(), e);
    }
    Map<String, String> status = new LinkedHashMap<>();
    List<List<String>> pairs = info.getDriverStatuses();
    if (pairs != null) {
      for (List<String> pair : pairs) {
        if (pair.size() == 2) {
          status.put(pair.get(0), pair.get(1));
        }
      }
    }
    return new StorageReport(
        Objects.requireNonNullElse(info.getDriver(), ""),
        status,
        Objects.requireNonNullElse(info.getDockerRootDir(), ""),
        List.of());
  }

  /**
   * Reads {@code GET /info}'s body, which is also what {@code docker info --format '{{json .}}'}
   * prints: the form to use over SSH, and the one that carries {@code Warnings}.
   */
  public static StorageReport fromInfoJson(String json) {
    JsonNode info;
    try {
      info = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new StorageException(
          StorageException.Code.IO, "docker info is not JSON: " + e.getOriginalMessage(), e);
    }
    Map<String, String> status = new LinkedHashMap<>();
    for (JsonNode pair : info.path("DriverStatus")) {
      if (pair.size() == 2) {
        status.put(pair.get(0).asText(), pair.get(1).asText());
      }
    }
    List<String> warnings = new ArrayList<>();
    info.path("Warnings").forEach(w -> warnings.add(w.asText()));
    return new StorageReport(
        info.path("Driver").asText(""), status, info.path("DockerRootDir").asText(""), warnings);
  }

  /** {@code Backing Filesystem}, as overlay2 reports it. */
  public Optional<String> backingFilesystem() {
    return Optional.ofNullable(driverStatus.get("Backing Filesystem"));
  }

  /** Everything that makes this storage unfit for production; empty when it is fine. */
  public List<String> problems(Path expectedRoot) {
    List<String> problems = new ArrayList<>();
    List<String> loopback = new ArrayList<>();
    driverStatus.forEach(
        (key, value) -> {
          if (key.toLowerCase(Locale.ROOT).contains("loop file")) {
            loopback.add(key + ": " + value);
          }
        });
    warnings.stream()
        .filter(w -> w.toLowerCase(Locale.ROOT).contains("loopback"))
        .forEach(loopback::add);
    if (!loopback.isEmpty()) {
      problems.add("Docker uses loopback storage: " + String.join("; ", loopback));
    }
    if (!driver.equals("overlay2")) {
      problems.add(
          "Docker's storage driver is "
              + (driver.isEmpty() ? "unknown" : driver)
              + ", not overlay2");
    }
    String backing = backingFilesystem().orElse("unknown");
    if (!backing.equals("xfs")) {
      problems.add(
          "Docker's backing file system is "
              + backing
              + ", not xfs: is "
              + expectedRoot
              + " mounted from the Docker device?");
    }
    if ("false".equals(driverStatus.get("Supports d_type"))) {
      problems.add(
          "the file system under "
              + rootDir
              + " lacks d_type (xfs made without"
              + " ftype=1): overlay2 cannot work on it");
    }
    if (!rootDir.equals(expectedRoot.toString())) {
      problems.add(
          "Docker's root dir is "
              + rootDir
              + ", not "
              + expectedRoot
              + " (daemon.json data-root not applied? restart dockerd)");
    }
    return problems;
  }

  /**
   * @throws StorageException {@code NOT_IN_USE} listing every problem
   */
  public void requireProduction(Path expectedRoot) {
    List<String> problems = problems(expectedRoot);
    if (!problems.isEmpty()) {
      throw new StorageException(StorageException.Code.NOT_IN_USE, String.join("\n", problems));
    }
  }

  /** One line for logs and reports. */
  public String summary() {
    return "Storage Driver: "
        + driver
        + ", Backing Filesystem: "
        + backingFilesystem().orElse("?")
        + ", Supports d_type: "
        + driverStatus.getOrDefault("Supports d_type", "?")
        + ", Docker Root Dir: "
        + rootDir
        + ", Warnings: "
        + (warnings.isEmpty() ? "none" : String.join(" | ", warnings));
  }
}
