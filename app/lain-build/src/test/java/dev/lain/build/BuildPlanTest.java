package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Single planning rules by name; the golden files show whole plans. */
class BuildPlanTest {

  @Test
  void imagesAreNamedAppColonPhaseDashMetaVersion() {
    BuildPlan plan = BuildPlan.of(Apps.spec(Apps.HELLO_WORLD), Apps.V1, "golang:1.8");

    String v = Apps.V1.toString();
    assertThat(plan.buildImage().reference()).isEqualTo("hello-world:build-" + v);
    assertThat(plan.releaseImage().reference()).isEqualTo("hello-world:release-" + v);
    assertThat(plan.metaImage().reference()).isEqualTo("hello-world:meta-" + v);
    assertThat(plan.testImage().reference()).isEqualTo("hello-world:test-" + v);
    assertThat(plan.metaImage().inRegistry("registry.lain.local").reference())
        .isEqualTo("registry.lain.local/hello-world:meta-" + v);
  }

  @Test
  void eachScriptLineRunsInItsOwnSubshellFromTheAppDirectoryAndStopsAtTheFirstFailure() {
    assertThat(Dockerfiles.run(List.of("cd sub && make", "ls")))
        .isEqualTo("RUN [\"/bin/sh\", \"-c\", \"( cd sub && make ) && ( ls )\"]\n");
    assertThat(Dockerfiles.run(List.of())).isEmpty();
  }

  @Test
  void commandsKeepQuotesBackslashesAndNewlinesThroughTheExecForm() {
    assertThat(Dockerfiles.run(List.of("printf '%s\\n' \"a b\"\necho c\t")))
        .isEqualTo("RUN [\"/bin/sh\", \"-c\", \"( printf '%s\\\\n' \\\"a b\\\"\\necho c\\t )\"]\n");
  }

  @Test
  void prepareCleanupKeepsTopLevelNamesQuotedForTheShell() {
    assertThat(Dockerfiles.cleanupExcept(List.of("node_modules", "vendor/cache", "it's")))
        .isEqualTo(
            "find /lain/app -mindepth 1 -maxdepth 1 ! -name 'node_modules' ! -name 'vendor'"
                + " ! -name 'it'\\''s' -exec rm -rf {} +");
    assertThat(Dockerfiles.cleanupExcept(List.of()))
        .isEqualTo("find /lain/app -mindepth 1 -maxdepth 1 -exec rm -rf {} +");
  }

  @Test
  void withoutReleaseSectionTheBuildImageIsReTagged() {
    BuildPlan plan = BuildPlan.of(Apps.spec(Apps.PREPARED), Apps.V1, "node:8");

    assertThat(plan.release()).isEmpty();
    assertThat(plan.testDockerfile()).isEmpty();
  }

  @Test
  void buildVolumesAreRefusedAsNotSupportedYet() {
    String yaml =
        """
        appname: cached
        build:
          base: lain-test/busybox:1
          volumes:
            - /root/.m2
          script:
            - mvn package
        worker:
          cmd: sleep 1000
        """;

    assertThatThrownBy(() -> BuildPlan.of(Apps.spec(yaml), Apps.V1, "lain-test/busybox:1"))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(BuildException.Code.NOT_SUPPORTED);
              assertThat(e).hasMessageContaining("build.volumes is not supported yet");
            });
  }

  @Test
  void anAppNameDockerRefusesIsAClearError() {
    String yaml = Apps.HELLO_WORLD.replace("appname: hello-world", "appname: Hello");

    assertThatThrownBy(() -> BuildPlan.of(Apps.spec(yaml), Apps.V1, "golang:1.8"))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> {
              assertThat(e.code()).isEqualTo(BuildException.Code.INVALID_REQUEST);
              assertThat(e).hasMessageContaining("appname 'Hello' cannot name a Docker image");
            });
  }

  @Test
  void copyingTheRootDirectoryIsRefused() {
    String yaml = Apps.HELLO_WORLD.replace("- /etc/hello", "- /");

    assertThatThrownBy(() -> BuildPlan.of(Apps.spec(yaml), Apps.V1, "golang:1.8"))
        .isInstanceOfSatisfying(
            BuildException.class,
            e -> assertThat(e.code()).isEqualTo(BuildException.Code.INVALID_REQUEST));
  }
}
