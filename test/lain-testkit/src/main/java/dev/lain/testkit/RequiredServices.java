package dev.lain.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Finds the external programs an integration test needs. A missing program never passes a test
 * silently: it skips the test (visibly, with the install hint) on a developer's machine, and fails
 * it where {@code LAIN_REQUIRE_SERVICES} is set, as CI does.
 */
public final class RequiredServices {
  /** The environment variable that turns a missing service from a skip into a failure. */
  public static final String REQUIRE_ENV = "LAIN_REQUIRE_SERVICES";

  private static final String SBIN = "/usr/sbin" + File.pathSeparator + "/sbin";

  private RequiredServices() {}

  /**
   * Returns the path of {@code binary} found on {@code PATH}.
   *
   * @param installHint how to install it, for the message (e.g. {@code apt-get install etcd})
   * @throws AssertionError if it is missing and {@value #REQUIRE_ENV} is set
   * @throws TestAbortedException if it is missing otherwise (JUnit reports the test as skipped)
   */
  public static Path require(String binary, String installHint) {
    // Daemons such as nginx live in /usr/sbin, which a non-root PATH often lacks.
    String path = System.getenv("PATH");
    String withSbin = (path == null || path.isEmpty() ? "" : path + File.pathSeparator) + SBIN;
    return require(binary, installHint, withSbin, System.getenv(REQUIRE_ENV) != null);
  }

  /**
   * Skips the test with {@code message} on a developer's machine; fails it where {@value
   * #REQUIRE_ENV} is set. For needs that are not a program on the PATH (root, loop devices...).
   */
  public static void unmet(String message) {
    if (System.getenv(REQUIRE_ENV) != null) {
      throw new AssertionError(message + " (required here: " + REQUIRE_ENV + " is set)");
    }
    throw new TestAbortedException("skipped: " + message);
  }

  /** Requires that the tests run as root, by {@link #unmet}'s rule; {@code why} names the need. */
  public static void requireRoot(String why) {
    if (!isRoot()) {
      unmet(why + " needs root: run the tests as root (CI does)");
    }
  }

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      // Not Linux, or no /proc: nothing here can run as root.
    }
    return false;
  }

  static Path require(String binary, String installHint, String path, boolean required) {
    Optional<Path> found = find(binary, path);
    if (found.isPresent()) {
      return found.get();
    }
    if (required) {
      throw new AssertionError(
          binary
              + " is required here ("
              + REQUIRE_ENV
              + " is set) but not installed: "
              + installHint);
    }
    throw new TestAbortedException("skipped: " + binary + " not installed (" + installHint + ")");
  }

  /** The first executable file named {@code binary} in the directories of {@code path}. */
  static Optional<Path> find(String binary, String path) {
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, binary);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
