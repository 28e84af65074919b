package dev.lain.model.web;

import dev.lain.model.DnsNames;
import java.util.Objects;

/**
 * Where the webrouter sends requests to a web proc: a host and a path prefix. Both go verbatim into
 * nginx configuration, so only safe characters are allowed (see {@link DnsNames} for hosts and
 * {@link Mountpoints#pathProblem} for paths).
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
    Mountpoints.pathProblem(path)
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
