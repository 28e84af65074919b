package dev.lain.build;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app version as LAIN names it: {@code <git committer unix time>-<40-hex commit sha>}, e.g.
 * {@code 1496631978-a46ef7af0c1e3c2e6cbd6bd3b3a29b8db3e7a7d5}. Images are tagged {@code
 * <phase>-<meta version>}.
 */
public record MetaVersion(long timestamp, String sha) implements Comparable<MetaVersion> {
  private static final Pattern TEXT = Pattern.compile("(\\d{1,18})-([0-9a-f]{40})");
  private static final Comparator<MetaVersion> ORDER =
      Comparator.comparingLong(MetaVersion::timestamp).thenComparing(MetaVersion::sha);

  public MetaVersion {
    Objects.requireNonNull(sha, "sha");
    if (timestamp < 0) {
      throw new IllegalArgumentException("negative commit time: " + timestamp);
    }
    if (!sha.matches("[0-9a-f]{40}")) {
      throw new IllegalArgumentException("not a 40-hex commit sha: '" + sha + "'");
    }
  }

  /**
   * Reads {@code <timestamp>-<sha>}, as {@code git log -1 --pretty=format:%ct-%H} prints it.
   *
   * @throws IllegalArgumentException if {@code text} is not of that form
   */
  public static MetaVersion parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not a meta version (<commit unix time>-<40-hex sha>): '" + text + "'"));
  }

  /** The meta version written as {@code text}, if it is one. */
  public static Optional<MetaVersion> tryParse(String text) {
    Matcher m = TEXT.matcher(Objects.requireNonNull(text, "text"));
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new MetaVersion(Long.parseLong(m.group(1)), m.group(2)));
  }

  /** Older first: by commit time, then by sha so that the order is total. */
  @Override
  public int compareTo(MetaVersion other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return timestamp + "-" + sha;
  }
}
