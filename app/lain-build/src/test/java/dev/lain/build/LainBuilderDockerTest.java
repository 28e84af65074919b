package dev.lain.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.lain.testkit.BusyboxImage;
import dev.lain.testkit.DockerDaemon;
import dev.lain.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline on a real (private) dockerd, pushing to a real registry on loopback. */
class LainBuilderDockerTest {
  private static DockerDaemon docker;
  private static LocalRegistry registry;
  private static String base;

  /** Each build gets a later second, as consecutive `lain prepare` runs would. */
  private final AtomicLong now = new AtomicLong(1_700_000_000L);

  private final InstantSource clock = () -> Instant.ofEpochSecond(now.incrementAndGet());
  private final List<BuildEvent> events = new CopyOnWriteArrayList<>();

  @TempDir Path appDir;

  @BeforeAll
  static void services() {
    docker = DockerDaemon.shared();
    base = BusyboxImage.in(docker);
    registry = LocalRegistry.start();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private LainBuilder builder() {
    return LainBuilder.using(docker.client(), clock);
  }

  private BuildRequest app(String lainYaml, MetaVersion version) throws IOException {
    Files.writeString(appDir.resolve("lain.yaml"), lainYaml);
    return BuildRequest.read(appDir, version);
  }

  private static final String RELEASED =
      """
      appname: released
      build:
        base: %s
        build_arg:
          - GREETING=hola
        script:
          - mkdir -p out && echo "built from $(cat hello.txt)" > out/greeting
          - cd out && echo "$GREETING" > arg.txt
          - test ! -e arg.txt && pwd > where.txt
          - cat out/greeting
      release:
        dest_base: %s
        copy:
          - src: out/greeting
            dest: /usr/share/greeting
          - out
      test:
        script:
          - grep -q hola out/arg.txt
      worker:
        cmd: sleep 1000
      """;

  @Test
  void buildsReleaseFromDestBaseWithCopiedFilesPushesMetaAndReleaseAndReadsLainYamlBack()
      throws IOException {
    Files.writeString(appDir.resolve("hello.txt"), "the sources");
    Files.createDirectories(appDir.resolve(".git"));
    Files.writeString(appDir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    String yaml = RELEASED.formatted(base, base);
    BuildRequest request = app(yaml, Apps.V1);

    try (LainBuilder builder = builder()) {
      BuildResult result = builder.build(request, events::add);

      assertThat(result.prepareImage()).isEmpty();
      assertThat(result.releaseImage().reference()).isEqualTo("released:release-" + Apps.V1);
      // Build image: the sources, the script's output; each line started in /lain/app.
      ImageRef build = result.buildImage();
      assertThat(builder.readText(build, "/lain/app/hello.txt")).isEqualTo("the sources");
      assertThat(builder.readText(build, "/lain/app/out/arg.txt")).isEqualTo("hola\n");
      assertThat(builder.readText(build, "/lain/app/where.txt")).isEqualTo("/lain/app\n");
      assertThatThrownBy(() -> builder.readFile(build, "/lain/app/.git/HEAD"))
          .isInstanceOf(BuildException.class)
          .hasMessageContaining("does not exist");
      // Release image: dest_base + only the copied files, working directory /lain/app.
      ImageRef release = result.releaseImage();
      assertThat(builder.readText(release, "/usr/share/greeting"))
          .isEqualTo("built from the sources\n");
      assertThat(builder.readText(release, "/lain/app/out/arg.txt")).isEqualTo("hola\n");
      assertThat(builder.readText(release, "/bin/busybox")).isNotEmpty();
      assertThatThrownBy(() -> builder.readFile(release, "/lain/app/hello.txt"))
          .isInstanceOf(BuildException.class);
      assertThat(
              docker
                  .client()
                  .inspectImageCmd(release.reference())
                  .exec()
                  .getConfig()
                  .getWorkingDir())
          .isEqualTo("/lain/app");
      // Meta image: exactly the lain.yaml.
      assertThat(builder.readText(result.metaImage(), "/lain.yaml")).isEqualTo(yaml);
      assertThat(events)
          .contains(new BuildEvent.Output(build.reference(), "built from the sources"));
      assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(BuildEvent.Stage.class));

      List<ImageRef> tagged = builder.tag("released", Apps.V1, registry.address());
      assertThat(tagged)
          .containsExactly(
              result.metaImage().inRegistry(registry.address()),
              result.releaseImage().inRegistry(registry.address()));
      for (ImageRef image : tagged) {
        builder.push(image, events::add);
      }
      assertThat(events)
          .anySatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          BuildEvent.Progress.class,
                          p -> assertThat(p.status()).contains("digest: sha256:")));

      // Another version with both images, and one whose release was never pushed.
      for (Phase phase : List.of(Phase.META, Phase.RELEASE)) {
        ImageRef v2 = ImageRef.of("released", phase, Apps.V2).inRegistry(registry.address());
        docker
            .client()
            .tagImageCmd(
                ImageRef.of("released", phase, Apps.V1).reference(), v2.repository(), v2.tag())
            .exec();
        builder.push(v2, BuildListener.NONE);
      }
      MetaVersion metaOnly = MetaVersion.parse("1800000000-" + "c".repeat(40));
      ImageRef v3 = ImageRef.of("released", Phase.META, metaOnly).inRegistry(registry.address());
      docker.client().tagImageCmd(result.metaImage().reference(), v3.repository(), v3.tag()).exec();
      builder.push(v3, BuildListener.NONE);
    }

    RegistryClient client = new RegistryClient(registry.url(), java.time.Duration.ofSeconds(10));
    assertThat(client.metaVersions("released")).containsExactly(Apps.V2, Apps.V1);
    assertThat(client.lainYaml("released", Apps.V1)).isEqualTo(yaml);
    assertThat(client.hasTag("released", "release-" + Apps.V1)).isTrue();
    assertThat(client.hasTag("released", "release-1800000000-" + "c".repeat(40))).isFalse();
    assertThat(client.tags("released")).hasSize(5);
  }

  @Test
  void testRunsTheTestScriptOnTheBuildImageAndAFailingTestReportsItsOutput() throws IOException {
    Files.writeString(appDir.resolve("hello.txt"), "x");
    String yaml = RELEASED.formatted(base, base).replace("appname: released", "appname: tested");

    try (LainBuilder builder = builder()) {
      ImageRef test = builder.test(app(yaml, Apps.V1), events::add);
      assertThat(builder.exists(test)).isTrue();
      assertThat(test.reference()).isEqualTo("tested:test-" + Apps.V1);

      String failing =
          yaml.replace(
              "- grep -q hola out/arg.txt",
              "- echo \"checking the greeting\" && grep -q adios out/arg.txt");
      assertThatThrownBy(() -> builder.test(app(failing, Apps.V2), BuildListener.NONE))
          .isInstanceOfSatisfying(
              BuildException.class,
              e -> {
                assertThat(e.code()).isEqualTo(BuildException.Code.TEST_FAILED);
                assertThat(e).hasMessageContaining("checking the greeting");
                assertThat(e).hasMessageContaining("returned a non-zero code: 1");
              });
    }
  }

  @Test
  void withoutReleaseSectionTheReleaseImageIsTheBuildImage() throws IOException {
    String yaml =
        """
        appname: plain
        build:
          base: %s
          script:
            - echo plain > plain.txt
        worker:
          cmd: sleep 1000
        """
            .formatted(base);

    try (LainBuilder builder = builder()) {
      BuildResult result = builder.build(app(yaml, Apps.V1), BuildListener.NONE);

      DockerClient client = docker.client();
      assertThat(client.inspectImageCmd(result.releaseImage().reference()).exec().getId())
          .isEqualTo(client.inspectImageCmd(result.buildImage().reference()).exec().getId());
      assertThat(builder.readText(result.releaseImage(), "/lain/app/plain.txt"))
          .isEqualTo("plain\n");
    }
  }

  private static final String PREPARED =
      """
      appname: prepared
      build:
        base: %s
        prepare:
          version: "%s"
          script:
            - mkdir deps && cat /proc/sys/kernel/random/uuid > deps/marker
            - test -e lain.yaml
          keep:
            - deps
        script:
          - cp deps/marker used-marker
      worker:
        cmd: sleep 1000
      """;

  @Test
  void prepareImageIsReusedWhileItsVersionStaysAndRebuiltWhenBumped() throws IOException {
    try (LainBuilder builder = builder()) {
      BuildResult first = builder.build(app(PREPARED.formatted(base, "1"), Apps.V1), events::add);
      BuildResult again = builder.build(app(PREPARED.formatted(base, "1"), Apps.V2), events::add);
      MetaVersion v3 = MetaVersion.parse("1700000200-" + "c".repeat(40));
      BuildResult bumped = builder.build(app(PREPARED.formatted(base, "2"), v3), events::add);

      assertThat(first.prepareBuilt()).isTrue();
      assertThat(first.prepareImage().orElseThrow().tag()).matches("prepare-1-17000000\\d\\d");
      assertThat(again.prepareBuilt()).isFalse();
      assertThat(again.prepareImage()).isEqualTo(first.prepareImage());
      assertThat(bumped.prepareBuilt()).isTrue();
      assertThat(bumped.prepareImage().orElseThrow().tag()).startsWith("prepare-2-");
      String marker = builder.readText(first.buildImage(), "/lain/app/used-marker");
      assertThat(builder.readText(again.buildImage(), "/lain/app/used-marker")).isEqualTo(marker);
      assertThat(builder.readText(bumped.buildImage(), "/lain/app/used-marker"))
          .isNotEqualTo(marker);
      // The cleanup left only the kept names: the sources the script saw are gone.
      ImageRef prepare = first.prepareImage().orElseThrow();
      assertThat(builder.readText(prepare, "/lain/app/deps/marker")).isEqualTo(marker);
      assertThatThrownBy(() -> builder.readFile(prepare, "/lain/app/lain.yaml"))
          .isInstanceOf(BuildException.class);
      assertThat(events).contains(new BuildEvent.Stage("reusing prepare image " + prepare));
    }
  }

  @Test
  void prepareWithoutVersionIsRebuiltWhenItsScriptChanges() throws IOException {
    String yaml =
        """
        appname: autoprep
        build:
          base: %s
          prepare:
            script:
              - echo %s > /prepared
          script:
            - cat /prepared
        worker:
          cmd: sleep 1000
        """;

    try (LainBuilder builder = builder()) {
      BuildResult first = builder.build(app(yaml.formatted(base, "one"), Apps.V1), events::add);
      BuildResult same = builder.build(app(yaml.formatted(base, "one"), Apps.V1), events::add);
      BuildResult changed = builder.build(app(yaml.formatted(base, "two"), Apps.V1), events::add);

      String id = docker.client().inspectImageCmd(base).exec().getId().substring(7, 19);
      assertThat(first.prepareImage().orElseThrow().tag())
          .matches("prepare-\\d+-" + id + "-[0-9a-f]{16}");
      assertThat(same.prepareImage()).isEqualTo(first.prepareImage());
      assertThat(same.prepareBuilt()).isFalse();
      assertThat(changed.prepareImage()).isNotEqualTo(first.prepareImage());
      assertThat(builder.readText(changed.prepareImage().orElseThrow(), "/prepared"))
          .isEqualTo("two\n");
    }
  }

  @Test
  void aFailingBuildScriptReportsTheFailingStepsOutput() throws IOException {
    String yaml =
        """
        appname: broken
        build:
          base: %s
          script:
            - 'echo "compiling the thing" && echo "error: thing.c:3: oops" >&2 && exit 3'
        worker:
          cmd: sleep 1000
        """
            .formatted(base);

    try (LainBuilder builder = builder()) {
      assertThatThrownBy(() -> builder.build(app(yaml, Apps.V1), BuildListener.NONE))
          .isInstanceOfSatisfying(
              BuildException.class,
              e -> {
                assertThat(e.code()).isEqualTo(BuildException.Code.BUILD_FAILED);
                assertThat(e)
                    .hasMessageContaining("building broken:build-" + Apps.V1 + " failed")
                    .hasMessageContaining("returned a non-zero code: 3")
                    .hasMessageContaining("compiling the thing")
                    .hasMessageContaining("error: thing.c:3: oops");
              });
    }
  }

  @Test
  void aMissingBaseImageIsNamedWithWhatToDo() throws IOException {
    // From the loopback registry, which does not have it: no traffic leaves the machine.
    String missing = registry.address() + "/no-such/base:1";
    String yaml =
        """
        appname: orphan
        build:
          base: %s
          script:
            - true
        worker:
          cmd: sleep 1000
        """
            .formatted(missing);

    try (LainBuilder builder = builder()) {
      assertThatThrownBy(() -> builder.build(app(yaml, Apps.V1), BuildListener.NONE))
          .isInstanceOfSatisfying(
              BuildException.class,
              e -> {
                assertThat(e.code()).isEqualTo(BuildException.Code.BASE_IMAGE_MISSING);
                assertThat(e)
                    .hasMessageContaining("build.base image " + missing)
                    .hasMessageContaining("cannot be pulled")
                    .hasMessageContaining("docker load");
              });
    }
  }

  @Test
  void aMissingReleaseCopySourceIsNamed() throws IOException {
    String yaml =
        """
        appname: nocopy
        build:
          base: %s
          script:
            - true
        release:
          dest_base: %s
          copy:
            - not-built
        worker:
          cmd: sleep 1000
        """
            .formatted(base, base);

    try (LainBuilder builder = builder()) {
      assertThatThrownBy(() -> builder.build(app(yaml, Apps.V1), BuildListener.NONE))
          .isInstanceOfSatisfying(
              BuildException.class,
              e -> {
                assertThat(e.code()).isEqualTo(BuildException.Code.RELEASE_COPY_MISSING);
                assertThat(e).hasMessageContaining("/lain/app/not-built does not exist");
              });
    }
  }

  @Test
  void pushingAnImageThatWasNotBuiltSaysSo() {
    try (LainBuilder builder = builder()) {
      assertThatThrownBy(() -> builder.tag("never-built", Apps.V1, registry.address()))
          .isInstanceOfSatisfying(
              BuildException.class,
              e -> assertThat(e.code()).isEqualTo(BuildException.Code.IMAGE_MISSING));
    }
  }
}
