package dev.lain.spec;

import dev.lain.model.DnsNames;
import java.util.Objects;

/**
 * Where webrouter sends requests to a web proc: a host and a path prefix. Both go verbatim into
 * nginx configuration, so only safe characters are allowed (see {@link DnsNames} for hosts).
 *
 * @param host a lower-case DNS name
 * @param path {@code ""} for the whole host, else {@code /seg/seg} without a trailing slash
 */
public record Mountpoint(String host, String path) {
  public Mountpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    DnsNames.problem(host)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("mountpoint host '" + host + "' " + p);
            });
    MountpointRules.pathProblem(path)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("mountpoint path '" + path + "' " + p);
            });
  }

  /** As written in lain.yaml: {@code example.com/blog}. */
  public String text() {
    return host + path;
  }
}
