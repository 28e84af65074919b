package dev.lain.records.certs;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** A stored certificate without its key: what listings show. */
public record CertificateSummary(
    String name, List<String> hosts, Instant notAfter, String fingerprint, Instant addedAt) {
  public CertificateSummary {
    Objects.requireNonNull(name, "name");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(addedAt, "addedAt");
  }

  /** Whole days from {@code now} until {@link #notAfter}; negative once expired. */
  public long daysLeft(Instant now) {
    return ChronoUnit.DAYS.between(now, notAfter);
  }
}
