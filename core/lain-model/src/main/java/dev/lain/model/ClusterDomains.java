package dev.lain.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The cluster's domains: {@code /lain/config/domain} and {@code /lain/config/extra_domains}.
 *
 * <p>LAIN's <em>main domain</em> is the first extra domain if there is one, else the domain: it is
 * what containers see as {@code LAIN_DOMAIN}.
 */
public record ClusterDomains(String domain, List<String> extraDomains) {
  /** The domain a new cluster gets, as in LAIN. */
  public static final String DEFAULT_DOMAIN = "lain.local";

  /** The domain of cluster-internal names ({@code <app>.lain}); always internal. */
  public static final String LAIN = "lain";

  public static final ClusterDomains DEFAULT = new ClusterDomains(DEFAULT_DOMAIN, List.of());

  public ClusterDomains {
    Objects.requireNonNull(domain, "domain");
    DnsNames.problem(domain)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("domain '" + domain + "' " + p);
            });
    extraDomains = List.copyOf(extraDomains);
    for (String extra : extraDomains) {
      DnsNames.problem(extra)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException("extra domain '" + extra + "' " + p);
              });
    }
  }

  /** The first extra domain if any, else the domain. */
  public String mainDomain() {
    return extraDomains.isEmpty() ? domain : extraDomains.getFirst();
  }

  /** The domain followed by the extra domains, without repeats: where default app domains live. */
  public List<String> all() {
    LinkedHashSet<String> all = new LinkedHashSet<>();
    all.add(domain);
    all.addAll(extraDomains);
    return new ArrayList<>(all);
  }
}
