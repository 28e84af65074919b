package dev.lain.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container as the engine reports it.
 *
 * @param name without Docker's leading slash
 * @param exitCode the last exit code (0 while it has never exited)
 * @param health the container's own HEALTHCHECK verdict
 * @param startedAt when it last started ({@link Instant#EPOCH} if never)
 * @param finishedAt when it last exited ({@link Instant#EPOCH} if never)
 * @param ports the published ports
 * @param error Docker's error for a container that failed to start, else empty
 * @param addresses its IPv4 address on each network it is attached to, by network name
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    Map<String, String> labels,
    ContainerState state,
    int exitCode,
    boolean oomKilled,
    ContainerHealth health,
    Instant startedAt,
    Instant finishedAt,
    List<ContainerRequest.PortBinding> ports,
    String error,
    Map<String, String> addresses) {
  public ContainerInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    ports = List.copyOf(ports);
    Objects.requireNonNull(error, "error");
    addresses = Map.copyOf(addresses);
  }
}
