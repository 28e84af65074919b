package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * lain.jar, what runs on every node, holds LAIN's production classes and no test code: none of the
 * classes any module compiles from its src/test (fakes, test certificates, harnesses), and no test
 * library.
 */
class DistributionJarTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();

  @Test
  void theDistributionJarHoldsNoClassOfAnyModulesTestsAndNoTestLibrary() throws IOException {
    Set<String> jarClasses = new HashSet<>();
    try (JarFile file = new JarFile(System.getProperty("lain.dist.jar"))) {
      file.stream()
          .map(JarEntry::getName)
          .filter(n -> n.endsWith(".class"))
          .forEach(jarClasses::add);
    }
    List<String> testClasses = testClasses();

    assertThat(jarClasses)
        .as("the tools are in it")
        .contains(
            "dev/lain/daemon/LaindMain.class",
            "dev/lain/cli/lain/LainMain.class",
            "dev/lain/bootstrap/BootstrapMain.class");
    assertThat(testClasses)
        .as("the modules' test classes (a check that finds none checks nothing)")
        .contains(
            "dev/lain/runtime/FakeRuntime.class", "dev/lain/tls/testing/TestCertificates.class");
    assertThat(testClasses).as("test classes in lain.jar").noneMatch(jarClasses::contains);
    assertThat(jarClasses)
        .as("test libraries in lain.jar")
        .noneMatch(n -> n.startsWith("org/junit/") || n.startsWith("org/assertj/"));
  }

  /** Every class compiled from a module's src/test, as a jar entry name. */
  private static List<String> testClasses() throws IOException {
    try (Stream<Path> modules = Files.list(REPO)) {
      List<Path> dirs =
          modules
              .filter(Files::isDirectory)
              .flatMap(DistributionJarTest::children)
              .map(m -> m.resolve("target/test-classes"))
              .filter(Files::isDirectory)
              .toList();
      List<String> classes = new ArrayList<>();
      for (Path dir : dirs) {
        try (Stream<Path> files = Files.walk(dir)) {
          files
              .filter(f -> f.toString().endsWith(".class"))
              .map(f -> dir.relativize(f).toString().replace('\\', '/'))
              .forEach(classes::add);
        }
      }
      return classes;
    }
  }

  private static Stream<Path> children(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).toList().stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }
}
