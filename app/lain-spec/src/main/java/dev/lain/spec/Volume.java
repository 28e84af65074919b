package dev.lain.spec;

import java.util.List;
import java.util.Objects;

/**
 * A host-bind volume of a proc.
 *
 * @param path normalised absolute path inside the container
 * @param backups backupd schedules for it, possibly none
 */
public record Volume(String path, List<Backup> backups) {
  /** Always appended: rebellion collects logs from there. */
  public static final Volume LOGS = new Volume(ContainerPaths.LOGS_DIR, List.of());

  public Volume {
    Objects.requireNonNull(path, "path");
    backups = List.copyOf(backups);
    if (!path.startsWith("/") || ContainerPaths.NOT_MOUNTABLE.contains(path)) {
      throw new IllegalArgumentException("not a mountable volume path: " + path);
    }
  }
}
