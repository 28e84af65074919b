package dev.lain.router.render;

import java.util.List;
import java.util.Objects;

/**
 * One mountpoint of one web proc: requests for {@code host} (and its sub-domains) under {@code
 * path} go to the proc.
 *
 * <p>The constructor only rejects nulls. Everything else is checked again by the renderer, which
 * skips a route it cannot place safely into the config and says why in a warning: one bad
 * mountpoint in the store must not stop the router from serving all the others.
 *
 * @param podGroup the proc's pod group, {@code <app>.<type>.<proc>} (e.g. {@code hello.web.web})
 * @param host a lower-case DNS name
 * @param path {@code ""} for the whole host, or {@code /seg/seg} with segments of {@code
 *     [A-Za-z0-9._~-]}
 * @param httpsOnly plain-HTTP requests are redirected to https
 * @param backends the proc's healthy instances; may be empty
 */
public record Route(
    String podGroup, String host, String path, boolean httpsOnly, List<Backend> backends) {

  public Route {
    Objects.requireNonNull(podGroup, "podGroup");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    backends = List.copyOf(backends);
  }

  /** The mountpoint as LAIN writes it: {@code host/path}. */
  public String mountpoint() {
    return host + path;
  }

  public Route withBackends(List<Backend> newBackends) {
    return new Route(podGroup, host, path, httpsOnly, newBackends);
  }

  public Route withHttpsOnly(boolean newHttpsOnly) {
    return new Route(podGroup, host, path, newHttpsOnly, backends);
  }
}
