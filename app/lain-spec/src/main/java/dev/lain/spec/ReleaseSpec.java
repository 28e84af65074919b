package dev.lain.spec;

import java.util.List;
import java.util.Objects;

/**
 * How the release image is made from the build image ({@code release}).
 *
 * @param destBase the release image's base
 * @param copy what is copied from the build image
 * @param script commands run in an intermediate image before copying
 */
public record ReleaseSpec(String destBase, List<CopyEntry> copy, List<String> script) {
  public ReleaseSpec {
    Objects.requireNonNull(destBase, "destBase");
    copy = List.copyOf(copy);
    script = List.copyOf(script);
  }
}
