package dev.lain.runtime.docker;

import java.util.Objects;

/**
 * An image reference split as the pull API wants it: {@code repository} and a tag or digest.
 * Without either, the tag is {@code latest}; pulling a bare repository would fetch every tag.
 */
record ImageReference(String repository, String tagOrDigest) {
  ImageReference {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tagOrDigest, "tagOrDigest");
  }

  static ImageReference parse(String image) {
    Objects.requireNonNull(image, "image");
    int at = image.indexOf('@');
    if (at >= 0) {
      return new ImageReference(image.substring(0, at), image.substring(at + 1));
    }
    // A colon before the last slash belongs to a registry's port, not to a tag.
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon > slash) {
      return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
    }
    return new ImageReference(image, "latest");
  }
}
