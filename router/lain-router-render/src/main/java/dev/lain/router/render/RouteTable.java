package dev.lain.router.render;

import dev.lain.model.ClusterDomains;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a router serves, as of one store revision.
 *
 * @param revision the store revision the table was read at; only printed in the rendered file
 * @param domains the cluster's domains: they decide which hosts are internal
 * @param routes every mountpoint of every web proc, in any order
 * @param sslPatterns {@code /lain/config/ssl}: host name or shell-glob pattern to certificate name
 * @param certificates the certificate names installed on this router: {@code
 *     <certificateDir>/<name>.crt} and {@code .key} exist
 */
public record RouteTable(
    long revision,
    ClusterDomains domains,
    List<Route> routes,
    Map<String, String> sslPatterns,
    Set<String> certificates) {

  public RouteTable {
    Objects.requireNonNull(domains, "domains");
    routes = List.copyOf(routes);
    sslPatterns = Map.copyOf(sslPatterns);
    certificates = Set.copyOf(certificates);
  }

  /** A table with no TLS configuration. */
  public static RouteTable of(long revision, ClusterDomains domains, List<Route> routes) {
    return new RouteTable(revision, domains, routes, Map.of(), Set.of());
  }

  public RouteTable withRoutes(List<Route> newRoutes) {
    return new RouteTable(revision, domains, newRoutes, sslPatterns, certificates);
  }

  public RouteTable withSsl(Map<String, String> newSslPatterns, Set<String> newCertificates) {
    return new RouteTable(revision, domains, routes, newSslPatterns, newCertificates);
  }
}
