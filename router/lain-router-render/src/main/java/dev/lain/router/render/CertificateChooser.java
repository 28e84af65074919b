package dev.lain.router.render;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Picks the certificate for a host from {@code /lain/config/ssl}: the entry whose key is the host
 * itself, else the most specific matching pattern ({@link ShellGlob#MOST_SPECIFIC_FIRST}), among
 * the entries whose certificate is installed. LAIN took the first matching key in map order, which
 * made the choice depend on JSON key order; ranking by specificity does not.
 */
final class CertificateChooser {
  /** One usable entry of the SSL map. */
  record Entry(String pattern, String certificate, boolean installed) {}

  /**
   * The outcome for one host.
   *
   * @param certificate the certificate to use, if any
   * @param missing entries that would have been chosen first but whose certificate is not installed
   */
  record Choice(Optional<String> certificate, List<Entry> missing) {}

  private final List<Entry> ranked;
  private final Map<String, Entry> byPattern;

  /**
   * @param warnings receives one line per entry of {@code sslPatterns} that is ignored
   */
  CertificateChooser(
      Map<String, String> sslPatterns, Set<String> certificates, Collection<String> warnings) {
    TreeMap<String, Entry> entries = new TreeMap<>(ShellGlob.MOST_SPECIFIC_FIRST);
    for (Map.Entry<String, String> e : new TreeMap<>(sslPatterns).entrySet()) {
      // Checked before lower-casing: some non-ASCII letters lower-case to ASCII ones.
      boolean valid = Inputs.isSslPattern(e.getKey());
      String pattern = e.getKey().toLowerCase(Locale.ROOT);
      String certificate = e.getValue();
      if (!valid) {
        warnings.add(
            "ignored ssl pattern "
                + Inputs.quote(e.getKey())
                + ": only letters, digits, '.', '-', '*' and '?' are allowed");
      } else if (!Inputs.isCertificateName(certificate)) {
        warnings.add(
            "ignored ssl pattern "
                + Inputs.quote(e.getKey())
                + ": certificate name "
                + Inputs.quote(certificate)
                + " is not a plain file name ([A-Za-z0-9._-], not starting with '.')");
      } else if (entries.containsKey(pattern)) {
        Entry kept = entries.get(pattern);
        warnings.add(
            "ssl pattern "
                + Inputs.quote(e.getKey())
                + " repeats "
                + Inputs.quote(kept.pattern())
                + " in another case: kept certificate "
                + Inputs.quote(kept.certificate()));
      } else {
        entries.put(pattern, new Entry(pattern, certificate, certificates.contains(certificate)));
      }
    }
    this.byPattern = entries;
    this.ranked = List.copyOf(entries.values());
  }

  Choice choose(String host) {
    List<Entry> missing = new ArrayList<>();
    Entry exact = byPattern.get(host);
    if (exact != null) {
      if (exact.installed()) {
        return new Choice(Optional.of(exact.certificate()), List.of());
      }
      missing.add(exact);
    }
    for (Entry entry : ranked) {
      if (entry == exact || !ShellGlob.matches(entry.pattern(), host)) {
        continue;
      }
      if (entry.installed()) {
        return new Choice(Optional.of(entry.certificate()), missing);
      }
      missing.add(entry);
    }
    return new Choice(Optional.empty(), missing);
  }
}
