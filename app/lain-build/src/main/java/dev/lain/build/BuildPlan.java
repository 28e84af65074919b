package dev.lain.build;

import dev.lain.spec.AppSpec;
import dev.lain.spec.CopyEntry;
import dev.lain.spec.ReleaseSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code lain build} and {@code lain test} make of one app version: image names and
 * Dockerfiles. Pure; {@link LainBuilder} carries it out.
 *
 * <pre>
 * from (base, or prepare image) ─► build ─┬─► release (FROM dest_base + release.copy, or build re-tagged)
 *                                         ├─► test    (test.script on the build image)
 * lain.yaml ─────────────────────────────────► meta    (FROM scratch + /lain.yaml)
 * </pre>
 *
 * @param from the image the build image starts from: {@code build.base}, or the prepare image
 * @param buildArgs {@code build.build_arg}, declared with ARG and passed as build arguments
 * @param release empty when the build image is re-tagged as the release image (no {@code release}
 *     section)
 * @param testDockerfile empty when lain.yaml has no {@code test} section
 */
public record BuildPlan(
    String app,
    MetaVersion version,
    String from,
    ImageRef buildImage,
    String buildDockerfile,
    Map<String, String> buildArgs,
    ImageRef releaseImage,
    Optional<Release> release,
    ImageRef metaImage,
    String metaDockerfile,
    ImageRef testImage,
    Optional<String> testDockerfile) {

  public BuildPlan {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(buildImage, "buildImage");
    Objects.requireNonNull(buildDockerfile, "buildDockerfile");
    buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
    Objects.requireNonNull(releaseImage, "releaseImage");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(metaImage, "metaImage");
    Objects.requireNonNull(metaDockerfile, "metaDockerfile");
    Objects.requireNonNull(testImage, "testImage");
    Objects.requireNonNull(testDockerfile, "testDockerfile");
  }

  /**
   * The release image made from the build image.
   *
   * @param copy each entry's source is extracted from the build image (after {@code script}) into
   *     the context as {@link Dockerfiles#releaseContextPath}, then COPY'd to its destination
   * @param scriptDockerfile the intermediate image running {@code release.script}, if any
   */
  public record Release(
      String destBase, List<CopyEntry> copy, Optional<String> scriptDockerfile, String dockerfile) {
    public Release {
      Objects.requireNonNull(destBase, "destBase");
      copy = List.copyOf(copy);
      Objects.requireNonNull(scriptDockerfile, "scriptDockerfile");
      Objects.requireNonNull(dockerfile, "dockerfile");
    }
  }

  /**
   * Plans the images of {@code spec} at {@code version}, the build starting from {@code from}.
   *
   * @throws BuildException {@link BuildException.Code#NOT_SUPPORTED} for {@code build.volumes};
   *     {@link BuildException.Code#INVALID_REQUEST} when Docker would refuse the app name or a copy
   *     source is {@code /}
   */
  public static BuildPlan of(AppSpec spec, MetaVersion version, String from) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(from, "from");
    if (!spec.build().volumes().isEmpty()) {
      throw new BuildException(
          BuildException.Code.NOT_SUPPORTED,
          "build.volumes is not supported yet (it needs a docker run + commit build): remove"
              + " build.volumes from lain.yaml to build with docker build");
    }
    String app = spec.appname();
    ImageRef buildImage = image(app, Phase.BUILD, version);
    Optional<Release> release = spec.release().map(r -> release(r, buildImage));
    return new BuildPlan(
        app,
        version,
        from,
        buildImage,
        Dockerfiles.build(from, spec.build().buildArgs(), spec.build().script()),
        spec.build().buildArgs(),
        image(app, Phase.RELEASE, version),
        release,
        image(app, Phase.META, version),
        Dockerfiles.meta(),
        image(app, Phase.TEST, version),
        spec.test().map(t -> Dockerfiles.test(buildImage.reference(), t.script())));
  }

  private static Release release(ReleaseSpec spec, ImageRef buildImage) {
    for (CopyEntry entry : spec.copy()) {
      if (Dockerfiles.lastSegment(entry.src()).isEmpty()) {
        throw new BuildException(
            BuildException.Code.INVALID_REQUEST,
            "release.copy: cannot copy the whole file system ('/'); name the files to copy");
      }
    }
    Optional<String> script =
        spec.script().isEmpty()
            ? Optional.empty()
            : Optional.of(Dockerfiles.releaseScript(buildImage.reference(), spec.script()));
    return new Release(
        spec.destBase(), spec.copy(), script, Dockerfiles.release(spec.destBase(), spec.copy()));
  }

  static ImageRef image(String app, Phase phase, MetaVersion version) {
    try {
      return ImageRef.of(app, phase, version);
    } catch (IllegalArgumentException e) {
      throw new BuildException(
          BuildException.Code.INVALID_REQUEST,
          "appname '" + app + "' cannot name a Docker image: " + e.getMessage(),
          e);
    }
  }
}
