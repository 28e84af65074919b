package dev.lain.spec;

import java.util.Objects;

/** One {@code release.copy} item: a normalised absolute path in the build image and in release. */
public record CopyEntry(String src, String dest) {
  public CopyEntry {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dest, "dest");
    if (!src.startsWith("/") || !dest.startsWith("/")) {
      throw new IllegalArgumentException("copy paths are absolute: " + src + " -> " + dest);
    }
  }
}
