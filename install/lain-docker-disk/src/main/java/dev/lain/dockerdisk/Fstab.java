package dev.lain.dockerdisk;

import java.nio.file.Path;
import java.util.List;

/** The one edit this module makes to an fstab: our line, added once, nothing else touched. */
final class Fstab {
  private Fstab() {}

  /**
   * Adds {@code line} for {@code mountPoint} unless it is there.
   *
   * @return false if the exact entry was there already
   * @throws StorageException if another entry mounts something else at {@code mountPoint}
   */
  static boolean add(Path fstab, Path mountPoint, String line) {
    String content = AtomicFiles.read(fstab).orElse("");
    List<String> wanted = fields(line);
    for (String existing : content.lines().toList()) {
      List<String> entry = fields(existing);
      if (entry.size() < 2 || entry.getFirst().startsWith("#")) {
        continue;
      }
      if (unescape(entry.get(1)).equals(mountPoint.toString())) {
        if (entry.equals(wanted)) {
          return false;
        }
        throw new StorageException(
            StorageException.Code.REFUSED,
            fstab
                + " already mounts something at "
                + mountPoint
                + ": \""
                + existing.strip()
                + "\"; remove that line or choose another data root");
      }
    }
    StringBuilder out = new StringBuilder(content);
    if (!content.isEmpty() && !content.endsWith("\n")) {
      out.append('\n');
    }
    out.append("# Docker's data root on its own device (LAIN, lain-storage)\n")
        .append(line)
        .append('\n');
    AtomicFiles.write(fstab, out.toString());
    return true;
  }

  private static List<String> fields(String line) {
    String stripped = line.strip();
    return stripped.isEmpty() ? List.of() : List.of(stripped.split("\\s+"));
  }

  /** fstab writes a space in a path as {@code \040}. */
  private static String unescape(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t");
  }
}
