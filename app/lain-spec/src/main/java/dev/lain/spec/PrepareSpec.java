package dev.lain.spec;

import java.util.List;
import java.util.Objects;

/**
 * The prepare stage ({@code build.prepare}): its image is cached and reused while {@code version}
 * (or, without one, the base image and script) stays the same.
 *
 * @param version {@code ""} when not written (the old list form has none)
 * @param keep names under /lain/app kept after the prepare script
 */
public record PrepareSpec(String version, List<String> script, List<String> keep) {
  public PrepareSpec {
    Objects.requireNonNull(version, "version");
    script = List.copyOf(script);
    keep = List.copyOf(keep);
  }
}
