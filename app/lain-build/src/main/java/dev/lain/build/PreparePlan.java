package dev.lain.build;

import dev.lain.spec.PrepareSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which prepare image the build starts from: an existing one, or a new one to build. Pure: the
 * caller passes what Docker knows (the base image's id, the app repository's tags) and the time.
 *
 * <p>Tags, as LAIN names them:
 *
 * <ul>
 *   <li>with {@code version}: {@code prepare-<version>-<unix time>}; any image of the same version
 *       is reused (the newest), so bumping the version is how an app forces a rebuild;
 *   <li>without: {@code prepare-<unix time>-<base short id>-<key>}, {@code key} = the first 16 hex
 *       of sha256 over the base name, the script and the kept names; a new base image (its id
 *       changes) or a changed script or keep list makes a new prepare image by itself.
 * </ul>
 *
 * @param reuse the newest existing tag that fits, if any
 * @param newTag the tag to build when there is none
 * @param dockerfile what builds the new image: the app's sources, the script, then the cleanup that
 *     leaves only {@code keep} in /lain/app
 */
public record PreparePlan(
    String app, String base, Optional<String> reuse, String newTag, String dockerfile) {
  private static final int SHORT_ID_LENGTH = 12;
  private static final int KEY_LENGTH = 16;

  public PreparePlan {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(reuse, "reuse");
    Objects.requireNonNull(newTag, "newTag");
    Objects.requireNonNull(dockerfile, "dockerfile");
  }

  /**
   * @param baseImageId the base image's id as Docker reports it ({@code sha256:...})
   * @param existingTags tags of the repository {@code app} (local, and the registry's when the
   *     caller syncs with one)
   * @param nowEpochSeconds the time for a new tag
   */
  public static PreparePlan of(
      String app,
      String base,
      String baseImageId,
      PrepareSpec prepare,
      List<String> existingTags,
      long nowEpochSeconds) {
    Pattern fits;
    String newTag;
    if (prepare.version().isEmpty()) {
      String suffix = "-" + shortId(baseImageId) + "-" + key(base, prepare);
      fits = Pattern.compile("prepare-(\\d+)" + Pattern.quote(suffix));
      newTag = "prepare-" + nowEpochSeconds + suffix;
    } else {
      fits = Pattern.compile(Pattern.quote("prepare-" + prepare.version() + "-") + "(\\d+)");
      newTag = "prepare-" + prepare.version() + "-" + nowEpochSeconds;
    }
    Optional<String> reuse = Optional.empty();
    long newest = -1;
    for (String tag : existingTags) {
      Matcher m = fits.matcher(tag);
      if (m.matches() && m.group(1).length() < 19 && Long.parseLong(m.group(1)) > newest) {
        newest = Long.parseLong(m.group(1));
        reuse = Optional.of(tag);
      }
    }
    return new PreparePlan(
        app, base, reuse, newTag, Dockerfiles.prepare(base, prepare.script(), prepare.keep()));
  }

  /** The image the build starts from: the reused one, else the new one. */
  public ImageRef image() {
    return new ImageRef(app, reuse.orElse(newTag));
  }

  /** The image to build when nothing is reused. */
  public ImageRef newImage() {
    return new ImageRef(app, newTag);
  }

  /** The first 12 hex digits of an image id, as {@code docker images} shows it. */
  static String shortId(String imageId) {
    String hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
    if (!hex.matches("[0-9a-f]{12,}")) {
      throw new IllegalArgumentException("not an image id: '" + imageId + "'");
    }
    return hex.substring(0, SHORT_ID_LENGTH);
  }

  static String key(String base, PrepareSpec prepare) {
    StringBuilder text = new StringBuilder(base);
    prepare.script().forEach(line -> text.append('\n').append(line));
    // The kept names change what the image holds, so they belong in the key too.
    text.append("\n\0keep");
    prepare.keep().forEach(name -> text.append('\n').append(name));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, KEY_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
