package dev.lain.model.web;

import java.util.Objects;

/**
 * A mountpoint as a web proc declares it, before the cluster's domains are known. In the store and
 * on the wire it is the text lain.yaml writes ({@link Mountpoints#text}), read back with {@link
 * Mountpoints#parse}.
 */
public sealed interface DeclaredMountpoint {

  /** {@code example.com/blog}: used as is. */
  record Absolute(Mountpoint mountpoint) implements DeclaredMountpoint {
    public Absolute {
      Objects.requireNonNull(mountpoint, "mountpoint");
    }
  }

  /**
   * {@code /admin}: a path under each default mountpoint of the proc named {@code web} ({@code
   * <appdomain>.<domain>/admin}).
   *
   * @param path {@code ""} (written as {@code /}) or {@code /seg/seg}
   */
  record Relative(String path) implements DeclaredMountpoint {
    public Relative {
      Objects.requireNonNull(path, "path");
      Mountpoints.pathProblem(path)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException("mountpoint path '" + path + "' " + p);
              });
    }
  }
}
