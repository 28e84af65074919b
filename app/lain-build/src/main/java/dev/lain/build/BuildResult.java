package dev.lain.build;

import java.util.Objects;
import java.util.Optional;

/**
 * The images {@link LainBuilder#build} left on the engine, all named {@code <app>:<phase>-<meta
 * version>} but the prepare image.
 *
 * @param prepareImage the prepare image the build started from, if lain.yaml has {@code
 *     build.prepare}
 * @param prepareBuilt whether that prepare image was built now (false: an existing one was reused)
 */
public record BuildResult(
    Optional<ImageRef> prepareImage,
    boolean prepareBuilt,
    ImageRef buildImage,
    ImageRef releaseImage,
    ImageRef metaImage) {
  public BuildResult {
    Objects.requireNonNull(prepareImage, "prepareImage");
    Objects.requireNonNull(buildImage, "buildImage");
    Objects.requireNonNull(releaseImage, "releaseImage");
    Objects.requireNonNull(metaImage, "metaImage");
  }
}
