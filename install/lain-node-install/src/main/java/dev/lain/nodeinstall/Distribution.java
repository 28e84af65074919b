package dev.lain.nodeinstall;

import dev.lain.model.node.NodeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What {@code node add} copies to a node: the lain jar and the launchers that run it ({@code bin/},
 * {@code scripts/lib/}), each with its path under the node's prefix.
 */
public record Distribution(List<Entry> entries) {
  /** One file to copy. */
  public record Entry(Path local, String relative, String mode) {
    public Entry {
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(relative, "relative");
      Objects.requireNonNull(mode, "mode");
    }
  }

  public Distribution {
    entries = List.copyOf(entries);
  }

  /**
   * The distribution of a checkout or install at {@code root} ({@code bin/}, {@code scripts/lib/})
   * with {@code jar} as the lain jar.
   */
  public static Distribution of(Path root, Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new RemoteException(
          RemoteException.Code.INVALID,
          "the lain jar " + jar + " is missing: build it first with scripts/build");
    }
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(jar, NodeLayout.JAR, "644"));
    addDir(root.resolve("bin"), "bin", entries);
    addDir(root.resolve("scripts/lib"), "scripts/lib", entries);
    return new Distribution(entries);
  }

  /**
   * The distribution this code runs from: {@code <root>/tools/lain-dist/target/lain.jar}, as the
   * launchers lay it out.
   */
  public static Distribution ofRunningJar() {
    Path jar;
    try {
      jar = Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new RemoteException(
          RemoteException.Code.INVALID, "cannot tell where the lain jar is: pass --dist DIR");
    }
    Path root = jar.toAbsolutePath();
    for (int up = Path.of(NodeLayout.JAR).getNameCount(); up > 0; up--) {
      root = root.getParent();
    }
    return of(root, jar);
  }

  private static void addDir(Path dir, String relative, List<Entry> entries) {
    if (!Files.isDirectory(dir)) {
      throw new RemoteException(
          RemoteException.Code.INVALID,
          "the distribution lacks " + dir + " (need bin/ and scripts/lib/)");
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        entries.add(
            new Entry(f, relative + "/" + f.getFileName(), Files.isExecutable(f) ? "755" : "644"));
      }
    } catch (IOException e) {
      throw new RemoteException(
          RemoteException.Code.INVALID, "cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
