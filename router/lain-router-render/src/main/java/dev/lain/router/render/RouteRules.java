package dev.lain.router.render;

import dev.lain.model.ClusterDomains;
import dev.lain.model.DnsNames;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The two decisions the renderer makes per host, for callers that want to show them. */
public final class RouteRules {
  private RouteRules() {}

  /**
   * True if {@code host} is served on the internal listens only: it is {@code lain}, the cluster
   * domain, an extra domain, or a sub-domain of one of these.
   *
   * <p>LAIN's webrouter compared against the <em>main</em> domain (the first extra domain once
   * there is one) instead of the cluster domain, so {@code *.lain.local} silently became external
   * when extra domains were set. Here the cluster domain always stays internal.
   */
  public static boolean isInternal(String host, ClusterDomains domains) {
    if (DnsNames.isWithin(host, ClusterDomains.LAIN)) {
      return true;
    }
    for (String domain : domains.all()) {
      if (DnsNames.isWithin(host, domain)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The certificate that serves {@code host}: the {@code sslPatterns} entry keyed by the host
   * itself, else the most specific matching shell-glob pattern (more literal characters, then fewer
   * wildcards, then fewer {@code *}, then the pattern text), counting only entries whose
   * certificate is in {@code certificates}.
   */
  public static Optional<String> certificateFor(
      String host, Map<String, String> sslPatterns, Set<String> certificates) {
    return new CertificateChooser(sslPatterns, certificates, new ArrayList<>())
        .choose(host)
        .certificate();
  }
}
