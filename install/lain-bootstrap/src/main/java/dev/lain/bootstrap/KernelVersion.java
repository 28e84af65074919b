package dev.lain.bootstrap;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The major.minor of a kernel release string such as {@code 6.1.0-18-amd64}. */
record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
  private static final Pattern RELEASE = Pattern.compile("^([0-9]+)\\.([0-9]+)");

  static Optional<KernelVersion> parse(String release) {
    Matcher m = RELEASE.matcher(release.strip());
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public int compareTo(KernelVersion other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
