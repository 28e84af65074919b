package dev.lain.build;

import java.util.Objects;

/**
 * One entry of a tar archive, as {@link TarReader} reads and {@link TarWriter} writes it.
 *
 * @param name the path, directories without a trailing slash
 * @param type the ustar type flag: {@code '0'} file, {@code '1'} hard link, {@code '2'} symlink,
 *     {@code '5'} directory (others are carried through as they are)
 * @param mode permission bits (and setuid/setgid/sticky)
 * @param size bytes of content (files only)
 * @param linkName the target of a link, else {@code ""}
 * @param mtime seconds since the epoch
 */
record TarEntry(
    String name, char type, int mode, long size, String linkName, long mtime, int uid, int gid) {
  static final char FILE = '0';
  static final char HARD_LINK = '1';
  static final char SYMLINK = '2';
  static final char DIRECTORY = '5';

  TarEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(linkName, "linkName");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }

  boolean isFile() {
    return type == FILE || type == '\0' || type == '7';
  }

  boolean isDirectory() {
    return type == DIRECTORY;
  }

  TarEntry withName(String newName) {
    return new TarEntry(newName, type, mode, size, linkName, mtime, uid, gid);
  }

  TarEntry withLinkName(String newLinkName) {
    return new TarEntry(name, type, mode, size, newLinkName, mtime, uid, gid);
  }
}
