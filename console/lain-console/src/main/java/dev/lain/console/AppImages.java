package dev.lain.console;

import java.util.List;
import java.util.Optional;

/**
 * What the cluster's registry holds of an app: LAIN's {@code <app>:meta-<v>} images (the lain.yaml
 * of each version) and {@code <app>:release-<v>} images (what runs). Implemented with a registry
 * client elsewhere; the console only reads through it.
 */
public interface AppImages {
  /**
   * The meta_versions ({@code <commit time>-<sha>}) that have a meta image, newest first. The
   * console sorts them again by commit time, so the order is a courtesy.
   */
  List<String> metaVersions(String app);

  /** The lain.yaml inside {@code app:meta-<metaVersion>}, empty when that image does not exist. */
  Optional<String> lainYaml(String app, String metaVersion);

  /**
   * The full name of the release image to run ({@code registry.<domain>/<app>:release-<v>}), empty
   * when it has not been pushed.
   */
  Optional<String> releaseImage(String app, String metaVersion);
}
