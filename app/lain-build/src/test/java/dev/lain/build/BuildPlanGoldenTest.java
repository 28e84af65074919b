package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.spec.AppSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Plans each case and compares every image name and Dockerfile with {@code
 * src/test/resources/golden/<case>.txt}.
 *
 * <p>After an intended change, regenerate the files and review the diff:
 *
 * <pre>./mvnw -f lain-build/pom.xml test -Dtest=BuildPlanGoldenTest -Dgolden.update=true
 * git diff lain-build/src/test/resources/golden</pre>
 */
class BuildPlanGoldenTest {
  static final Path GOLDEN_DIR = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final String BASE_ID = "sha256:" + "0123456789ab".repeat(5) + "cdef";

  static Map<String, String> cases() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("hello-world", describe(Apps.spec(Apps.HELLO_WORLD), Apps.V1, List.of()));
    cases.put(
        "prepared",
        describe(
            Apps.spec(Apps.PREPARED),
            Apps.V1,
            List.of("prepare-3-1690000000", "prepare-3-1690000500", "prepare-2-1699999999")));
    cases.put("release-script", describe(Apps.spec(Apps.RELEASE_SCRIPT), Apps.V2, List.of()));
    cases.put(
        "prepare-auto",
        describe(
            Apps.spec(
                """
                appname: auto
                build:
                  base: lain-test/busybox:1
                  prepare:
                    - echo old list form > deps.txt
                  script:
                    - cat deps.txt
                worker:
                  cmd: sleep 1000
                """),
            Apps.V1,
            List.of()));
    return cases;
  }

  /** Everything the planner decides for {@code spec}, as text. */
  static String describe(AppSpec spec, MetaVersion version, List<String> existingTags) {
    StringBuilder out = new StringBuilder();
    String from = spec.build().base();
    if (spec.build().prepare().isPresent()) {
      PreparePlan prepare =
          PreparePlan.of(
              spec.appname(),
              spec.build().base(),
              BASE_ID,
              spec.build().prepare().get(),
              existingTags,
              1_700_000_050L);
      section(out, "prepare: existing tags " + existingTags);
      out.append("reuse: ").append(prepare.reuse().orElse("(none)")).append('\n');
      out.append("new image: ").append(prepare.newImage()).append('\n');
      section(out, "prepare Dockerfile");
      out.append(prepare.dockerfile());
      from = prepare.image().reference();
    }
    BuildPlan plan = BuildPlan.of(spec, version, from);
    section(out, "build " + plan.buildImage() + " (build args " + plan.buildArgs() + ")");
    out.append(plan.buildDockerfile());
    if (plan.release().isEmpty()) {
      section(out, "release " + plan.releaseImage() + ": the build image re-tagged");
    } else {
      BuildPlan.Release release = plan.release().get();
      if (release.scriptDockerfile().isPresent()) {
        section(out, "release.script (untagged intermediate image)");
        out.append(release.scriptDockerfile().get());
      }
      section(out, "release " + plan.releaseImage() + " copies " + release.copy());
      out.append(release.dockerfile());
    }
    section(out, "meta " + plan.metaImage());
    out.append(plan.metaDockerfile());
    if (plan.testDockerfile().isPresent()) {
      section(out, "test " + plan.testImage());
      out.append(plan.testDockerfile().get());
    }
    return out.toString();
  }

  private static void section(StringBuilder out, String title) {
    out.append("# ---- ").append(title).append(" ----\n");
  }

  @TestFactory
  Stream<DynamicTest> plansMatchTheirGoldenFiles() {
    return cases().entrySet().stream()
        .map(c -> DynamicTest.dynamicTest(c.getKey(), () -> compare(c.getKey(), c.getValue())));
  }

  private static void compare(String name, String actual) throws IOException {
    Path file = GOLDEN_DIR.resolve(name + ".txt");
    if (UPDATE) {
      Files.createDirectories(GOLDEN_DIR);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file (regenerate with -Dgolden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
