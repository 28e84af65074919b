package dev.lain.spec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the build image is made ({@code build}).
 *
 * @param base the base image
 * @param script shell commands, each run from /lain/app
 * @param prepare the cached prepare stage, if any
 * @param buildArgs {@code --build-arg} values, in document order
 * @param volumes absolute cache directories kept between builds
 */
public record BuildSpec(
    String base,
    List<String> script,
    Optional<PrepareSpec> prepare,
    Map<String, String> buildArgs,
    List<String> volumes) {
  public BuildSpec {
    Objects.requireNonNull(base, "base");
    script = List.copyOf(script);
    Objects.requireNonNull(prepare, "prepare");
    buildArgs = Copies.orderedMap(buildArgs);
    volumes = List.copyOf(volumes);
  }
}
