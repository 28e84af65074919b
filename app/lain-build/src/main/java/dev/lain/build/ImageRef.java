package dev.lain.build;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image reference {@code [<registry>/]<repository>:<tag>}, e.g. {@code
 * hello:release-1496631978-a46e...} locally and {@code registry.lain.local/hello:release-...} once
 * tagged for a cluster.
 *
 * @param repository the name before the tag, with the registry host when there is one
 * @param tag never empty: LAIN never relies on {@code latest}
 */
public record ImageRef(String repository, String tag) {
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?");

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    if (!TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "'" + tag + "' is not a Docker tag (letters, digits, _ . -; at most 128)");
    }
    String path = repository;
    int slash = repository.indexOf('/');
    if (slash > 0 && isRegistryHost(repository.substring(0, slash))) {
      path = repository.substring(slash + 1);
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException(
            "'"
                + repository
                + "' is not a Docker repository name (lower-case letters, digits and separators)");
      }
    }
  }

  /**
   * {@code <app>:<phase>-<meta version>}, the name {@code lain build} gives an image locally.
   *
   * @throws IllegalArgumentException if Docker refuses {@code app} as a repository name (it allows
   *     no upper-case letters; lain.yaml does)
   */
  public static ImageRef of(String app, Phase phase, MetaVersion version) {
    return new ImageRef(app, phase.tag(version));
  }

  /**
   * Reads {@code [<registry>/]<repository>[:<tag>]}; without a tag, {@code latest} as Docker
   * assumes. Digest references ({@code @sha256:...}) are not supported.
   */
  public static ImageRef parse(String reference) {
    Objects.requireNonNull(reference, "reference");
    if (reference.contains("@")) {
      throw new IllegalArgumentException("digest references are not supported: " + reference);
    }
    int colon = reference.lastIndexOf(':');
    if (colon > reference.lastIndexOf('/')) {
      return new ImageRef(reference.substring(0, colon), reference.substring(colon + 1));
    }
    return new ImageRef(reference, "latest");
  }

  /**
   * The same image name under {@code registry} ({@code host[:port]}), e.g. {@code
   * registry.lain.local/hello:meta-...}.
   */
  public ImageRef inRegistry(String registry) {
    Objects.requireNonNull(registry, "registry");
    if (!REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("not a registry host[:port]: '" + registry + "'");
    }
    return new ImageRef(registry + "/" + repository, tag);
  }

  /** {@code repository:tag}. */
  public String reference() {
    return repository + ":" + tag;
  }

  @Override
  public String toString() {
    return reference();
  }

  /** Docker's rule: the first component is a registry if it has a dot, a port, or is localhost. */
  private static boolean isRegistryHost(String first) {
    return (first.contains(".") || first.contains(":") || first.equals("localhost"))
        && REGISTRY.matcher(first).matches();
  }
}
