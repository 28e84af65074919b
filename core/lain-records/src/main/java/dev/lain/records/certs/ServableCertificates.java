package dev.lain.records.certs;

import dev.lain.tls.CertificateCheck;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stored certificates a webrouter can serve. A certificate passed {@code lainctl ssl add}'s
 * check when it was added, so one that fails that check as of its {@code addedAt} is broken (nginx
 * would refuse the whole configuration); expiry since then is not a reason to stop serving it.
 * Checks are remembered per stored record, since checking parses keys.
 */
public final class ServableCertificates {
  private final CertificateStore certificates;
  private final Map<StoredCertificate, List<String>> checked = new HashMap<>();

  public ServableCertificates(CertificateStore certificates) {
    this.certificates = certificates;
  }

  /** Servable certificates by name; every other one is named in {@code problems} with why. */
  public Map<String, StoredCertificate> read(List<String> problems) {
    CertificateStore.CertificateList list = certificates.list();
    list.unreadable()
        .forEach(u -> problems.add("certificate " + u.name() + " is unreadable: " + u.problem()));
    Map<String, StoredCertificate> servable = new TreeMap<>();
    Set<StoredCertificate> current = new HashSet<>();
    for (CertificateSummary summary : list.certificates()) {
      Optional<StoredCertificate> stored;
      try {
        stored = certificates.get(summary.name());
      } catch (CertificateStoreException e) {
        problems.add(e.getMessage());
        continue;
      }
      if (stored.isEmpty()) {
        continue;
      }
      StoredCertificate c = stored.get();
      current.add(c);
      List<String> broken = checked.computeIfAbsent(c, ServableCertificates::brokenBecause);
      if (broken.isEmpty()) {
        servable.put(c.name(), c);
      } else {
        problems.add("certificate " + c.name() + " is left out: " + String.join("; ", broken));
      }
    }
    checked.keySet().retainAll(current);
    return servable;
  }

  private static List<String> brokenBecause(StoredCertificate c) {
    return switch (CertificateCheck.check(c.certificate(), c.key(), c.addedAt())) {
      case CertificateCheck.Passed passed -> List.of();
      case CertificateCheck.Failed failed -> failed.problems();
    };
  }
}
