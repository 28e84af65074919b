package dev.lain.spec;

import java.util.List;
import java.util.Objects;

/**
 * Volumes on the cluster's shared file system.
 *
 * @param type {@code SINGLE}: one directory shared by all instances; {@code MULTI}: one per
 *     instance
 * @param dirs normalised absolute paths inside the container
 */
public record CloudVolumes(Type type, List<String> dirs) {
  public enum Type {
    SINGLE,
    MULTI
  }

  public CloudVolumes {
    Objects.requireNonNull(type, "type");
    dirs = List.copyOf(dirs);
  }
}
