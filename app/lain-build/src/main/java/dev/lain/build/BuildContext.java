package dev.lain.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Build contexts as tar files: the generated {@code Dockerfile} at the root and the app's files
 * under {@code app/} (so an app's own Dockerfile stays an ordinary file). The files go to a
 * temporary file rather than memory: an app directory can be large.
 */
final class BuildContext implements AutoCloseable {
  /** Left out at the app's top level, as LAIN does. */
  static final Set<String> EXCLUDED = Set.of(".git", ".lain-cache", ".vagrant");

  private final Path file;
  private final TarWriter tar;

  private BuildContext(Path file) throws IOException {
    this.file = file;
    this.tar = new TarWriter(Files.newOutputStream(file));
  }

  static BuildContext create(String dockerfile) {
    try {
      BuildContext context = new BuildContext(Files.createTempFile("lain-build-", ".tar"));
      context.tar.file("Dockerfile", 0644, dockerfile);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a build context file", e);
    }
  }

  TarWriter tar() {
    return tar;
  }

  /** Adds {@code appDir}'s files under {@code app/}, without following symbolic links. */
  void addApp(Path appDir) {
    try {
      tar.directory(Dockerfiles.APP_CONTEXT_DIR, 0755, 0);
      addTree(appDir, Dockerfiles.APP_CONTEXT_DIR + "/", true);
    } catch (IOException e) {
      throw new BuildException(
          BuildException.Code.CONTEXT_UNREADABLE,
          "cannot read the app directory " + appDir + " into the build context: " + e.getMessage(),
          e);
    }
  }

  /** Ends the archive; returns the file, which {@link #close()} deletes. */
  Path finish() {
    try {
      tar.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the build context " + file, e);
    }
    return file;
  }

  @Override
  public void close() {
    try {
      tar.close();
    } catch (IOException e) {
      // Closing again after finish(), or a write already failed: the file goes anyway.
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      System.err.println("cannot delete the build context " + file + ": " + e);
    }
  }

  private void addTree(Path dir, String prefix, boolean top) throws IOException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      // Sorted: the same tree gives the same archive.
      children = list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      if (top && EXCLUDED.contains(name)) {
        continue;
      }
      PosixFileAttributes attrs =
          Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      long mtime = attrs.lastModifiedTime().toMillis() / 1000;
      String path = prefix + name;
      if (attrs.isSymbolicLink()) {
        tar.write(
            new TarEntry(
                path,
                TarEntry.SYMLINK,
                0777,
                0,
                Files.readSymbolicLink(child).toString(),
                mtime,
                0,
                0),
            InputStream.nullInputStream());
      } else if (attrs.isDirectory()) {
        tar.directory(path, mode(attrs.permissions()), mtime);
        addTree(child, path + "/", false);
      } else if (attrs.isRegularFile()) {
        try (InputStream content = Files.newInputStream(child)) {
          tar.write(
              new TarEntry(
                  path, TarEntry.FILE, mode(attrs.permissions()), attrs.size(), "", mtime, 0, 0),
              content);
        }
      }
      // Sockets, fifos and devices are not app files: left out.
    }
  }

  static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |=
          switch (p) {
            case OWNER_READ -> 0400;
            case OWNER_WRITE -> 0200;
            case OWNER_EXECUTE -> 0100;
            case GROUP_READ -> 040;
            case GROUP_WRITE -> 020;
            case GROUP_EXECUTE -> 010;
            case OTHERS_READ -> 04;
            case OTHERS_WRITE -> 02;
            case OTHERS_EXECUTE -> 01;
          };
    }
    return mode;
  }
}
