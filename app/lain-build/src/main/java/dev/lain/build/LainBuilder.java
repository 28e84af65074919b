package dev.lain.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.lain.spec.PrepareSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * LAIN's image pipeline on a Docker engine: {@code lain prepare}, {@code build}, {@code test},
 * {@code tag} and {@code push}. Each call plans with {@link PreparePlan} and {@link BuildPlan}
 * (pure) and then talks to Docker; progress goes to the {@link BuildListener} given, failures are
 * {@link BuildException}s whose message is meant for the user.
 *
 * <pre>{@code
 * try (LainBuilder builder = LainBuilder.connect(URI.create("unix:///var/run/docker.sock"))) {
 *   BuildRequest request = BuildRequest.read(appDir, MetaVersion.parse(gitHead));
 *   BuildResult built = builder.build(request, BuildListener.printingTo(out));
 *   for (ImageRef image : builder.tag(request.app(), request.version(), "registry.lain.local")) {
 *     builder.push(image, listener);
 *   }
 * }
 * }</pre>
 */
public final class LainBuilder implements AutoCloseable {
  /** A build step may print nothing for a long time (compiling); Docker answers when it ends. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofHours(2);

  private final DockerClient client;
  private final boolean ownsClient;
  private final DockerImages docker;
  private final InstantSource clock;

  private LainBuilder(DockerClient client, boolean ownsClient, InstantSource clock) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.docker = new DockerImages(client);
    this.clock = clock;
  }

  /**
   * Talks to the engine at {@code dockerHost} ({@code unix:///var/run/docker.sock}, {@code
   * tcp://127.0.0.1:2375}) with its own API version; closed with {@link #close()}.
   */
  public static LainBuilder connect(URI dockerHost) {
    Objects.requireNonNull(dockerHost, "dockerHost");
    DefaultDockerClientConfig config =
        new DefaultDockerClientConfig.Builder()
            .withDockerHost(dockerHost.toString())
            .withDockerTlsVerify(false)
            // Registry credentials, as `docker login` left them.
            .withDockerConfig(Path.of(System.getProperty("user.home"), ".docker").toString())
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(dockerHost)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(RESPONSE_TIMEOUT)
            .build();
    return new LainBuilder(
        DockerClientImpl.getInstance(config, http), true, InstantSource.system());
  }

  /**
   * Uses {@code client}, which stays the caller's to close; {@code clock} times new prepare tags.
   */
  public static LainBuilder using(DockerClient client, InstantSource clock) {
    return new LainBuilder(
        Objects.requireNonNull(client, "client"), false, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Makes sure the prepare image exists: reuses the newest one that fits ({@link PreparePlan}),
   * else builds it from the app's files, the prepare script and the {@code keep} cleanup.
   *
   * @return empty when lain.yaml has no {@code build.prepare}
   */
  public Optional<PrepareOutcome> prepare(BuildRequest request, BuildListener listener) {
    Optional<PrepareSpec> prepare = request.spec().build().prepare();
    if (prepare.isEmpty()) {
      return Optional.empty();
    }
    String base = request.spec().build().base();
    String baseId = docker.ensureLocal(base, "build.base", listener);
    PreparePlan plan =
        PreparePlan.of(
            request.app(),
            base,
            baseId,
            prepare.get(),
            docker.localTags(request.app()),
            clock.instant().getEpochSecond());
    if (plan.reuse().isPresent()) {
      listener.on(new BuildEvent.Stage("reusing prepare image " + plan.image()));
      return Optional.of(new PrepareOutcome(plan.image(), false));
    }
    ImageRef image = plan.newImage();
    listener.on(new BuildEvent.Stage("building prepare image " + image));
    try (BuildContext context = BuildContext.create(plan.dockerfile())) {
      context.addApp(request.appDir());
      docker.build(
          context.finish(),
          image.reference(),
          Optional.of(image),
          Map.of(),
          false,
          BuildException.Code.BUILD_FAILED,
          listener);
    }
    return Optional.of(new PrepareOutcome(image, true));
  }

  /** The prepare image {@link #prepare} settled on, and whether it was built just now. */
  public record PrepareOutcome(ImageRef image, boolean built) {
    public PrepareOutcome {
      Objects.requireNonNull(image, "image");
    }
  }

  /**
   * {@code lain build}: prepare (if any), build, release and meta images, each tagged {@code
   * <app>:<phase>-<meta version>}. Base images the engine has are never pulled.
   *
   * @throws BuildException {@link BuildException.Code#BUILD_FAILED} with the failing step's output,
   *     {@link BuildException.Code#BASE_IMAGE_MISSING} naming the image, and the other codes
   */
  public BuildResult build(BuildRequest request, BuildListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    // Plan first: unsupported fields fail before anything is pulled or built.
    BuildPlan.of(request.spec(), request.version(), request.spec().build().base());
    Optional<PrepareOutcome> prepared = prepare(request, listener);
    BuildPlan plan = buildImage(request, prepared, listener);
    buildRelease(plan, listener);
    buildMeta(plan, request.lainYaml(), listener);
    return new BuildResult(
        prepared.map(PrepareOutcome::image),
        prepared.map(PrepareOutcome::built).orElse(false),
        plan.buildImage(),
        plan.releaseImage(),
        plan.metaImage());
  }

  /**
   * {@code lain test}: builds the build image (as {@link #build} would, reusing what it can), then
   * runs {@code test.script} on it without cache and tags the result {@code <app>:test-<meta
   * version>}.
   *
   * @throws BuildException {@link BuildException.Code#TEST_FAILED} with the script's output when a
   *     test command fails; {@link BuildException.Code#INVALID_REQUEST} without a {@code test}
   *     section
   */
  public ImageRef test(BuildRequest request, BuildListener listener) {
    BuildPlan planned =
        BuildPlan.of(request.spec(), request.version(), request.spec().build().base());
    if (planned.testDockerfile().isEmpty()) {
      throw new BuildException(
          BuildException.Code.INVALID_REQUEST, "lain.yaml has no test section: nothing to test");
    }
    BuildPlan plan = buildImage(request, prepare(request, listener), listener);
    listener.on(new BuildEvent.Stage("testing " + plan.buildImage() + " as " + plan.testImage()));
    try (BuildContext context = BuildContext.create(plan.testDockerfile().orElseThrow())) {
      docker.build(
          context.finish(),
          plan.testImage().reference(),
          Optional.of(plan.testImage()),
          Map.of(),
          true,
          BuildException.Code.TEST_FAILED,
          listener);
    }
    return plan.testImage();
  }

  /**
   * {@code lain tag}: tags the local meta and release images of {@code app} at {@code version} as
   * {@code <registry>/<app>:meta-<version>} and {@code :release-<version>}.
   *
   * @param registry {@code host[:port]}, e.g. {@code registry.lain.local}
   * @return the two registry names, meta first
   * @throws BuildException {@link BuildException.Code#IMAGE_MISSING} if they were not built
   */
  public List<ImageRef> tag(String app, MetaVersion version, String registry) {
    List<ImageRef> remote = new ArrayList<>();
    for (Phase phase : List.of(Phase.META, Phase.RELEASE)) {
      ImageRef local = BuildPlan.image(app, phase, version);
      ImageRef named = inRegistry(local, registry);
      docker.tag(local.reference(), named);
      remote.add(named);
    }
    return List.copyOf(remote);
  }

  /**
   * Pushes {@code image} (a registry name, as {@link #tag} returns) to its registry; layer status
   * changes go to {@code listener}.
   *
   * @throws BuildException {@link BuildException.Code#PUSH_FAILED} with Docker's reason
   */
  public void push(ImageRef image, BuildListener listener) {
    listener.on(new BuildEvent.Stage("pushing " + image));
    docker.push(image, listener);
  }

  /** Whether the engine has {@code image}. */
  public boolean exists(ImageRef image) {
    return docker.imageId(image.reference()).isPresent();
  }

  /**
   * The content of the regular file {@code path} in {@code image} (read through a created, never
   * started container).
   *
   * @throws BuildException {@link BuildException.Code#IMAGE_MISSING} if the image or file is
   *     missing
   */
  public byte[] readFile(ImageRef image, String path) {
    return docker.readFile(image.reference(), path);
  }

  /** {@link #readFile} as UTF-8 text. */
  public String readText(ImageRef image, String path) {
    return new String(readFile(image, path), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (ownsClient) {
      try {
        client.close();
      } catch (IOException e) {
        // Closing only releases connections.
      }
    }
  }

  // ---- stages -----------------------------------------------------------------------------------

  private BuildPlan buildImage(
      BuildRequest request, Optional<PrepareOutcome> prepared, BuildListener listener) {
    String from;
    if (prepared.isPresent()) {
      from = prepared.get().image().reference();
    } else {
      from = request.spec().build().base();
      docker.ensureLocal(from, "build.base", listener);
    }
    BuildPlan plan = BuildPlan.of(request.spec(), request.version(), from);
    listener.on(new BuildEvent.Stage("building " + plan.buildImage() + " from " + from));
    try (BuildContext context = BuildContext.create(plan.buildDockerfile())) {
      context.addApp(request.appDir());
      docker.build(
          context.finish(),
          plan.buildImage().reference(),
          Optional.of(plan.buildImage()),
          plan.buildArgs(),
          false,
          BuildException.Code.BUILD_FAILED,
          listener);
    }
    return plan;
  }

  private void buildRelease(BuildPlan plan, BuildListener listener) {
    if (plan.release().isEmpty()) {
      listener.on(
          new BuildEvent.Stage(
              "tagging "
                  + plan.buildImage()
                  + " as "
                  + plan.releaseImage()
                  + " (no release section)"));
      docker.tag(plan.buildImage().reference(), plan.releaseImage());
      return;
    }
    BuildPlan.Release release = plan.release().get();
    docker.ensureLocal(release.destBase(), "release.dest_base", listener);
    String source = plan.buildImage().reference();
    Optional<String> intermediate = Optional.empty();
    if (release.scriptDockerfile().isPresent()) {
      listener.on(new BuildEvent.Stage("running release.script on " + plan.buildImage()));
      try (BuildContext context = BuildContext.create(release.scriptDockerfile().get())) {
        intermediate =
            Optional.of(
                docker.build(
                    context.finish(),
                    "release.script on " + plan.buildImage(),
                    Optional.empty(),
                    Map.of(),
                    false,
                    BuildException.Code.BUILD_FAILED,
                    listener));
      }
      source = intermediate.get();
    }
    listener.on(
        new BuildEvent.Stage(
            "building " + plan.releaseImage() + " from " + release.destBase() + " + release.copy"));
    try (BuildContext context = BuildContext.create(release.dockerfile())) {
      for (int i = 0; i < release.copy().size(); i++) {
        String at = Dockerfiles.releaseContextPath(i, release.copy().get(i));
        docker.copyOut(
            source,
            release.copy().get(i).src(),
            at.substring(0, at.lastIndexOf('/') + 1),
            context.tar());
      }
      docker.build(
          context.finish(),
          plan.releaseImage().reference(),
          Optional.of(plan.releaseImage()),
          Map.of(),
          false,
          BuildException.Code.BUILD_FAILED,
          listener);
    } finally {
      intermediate.ifPresent(docker::remove);
    }
  }

  private void buildMeta(BuildPlan plan, String lainYaml, BuildListener listener) {
    listener.on(new BuildEvent.Stage("building " + plan.metaImage()));
    try (BuildContext context = BuildContext.create(plan.metaDockerfile())) {
      context.tar().file("lain.yaml", 0644, lainYaml);
      docker.build(
          context.finish(),
          plan.metaImage().reference(),
          Optional.of(plan.metaImage()),
          Map.of(),
          false,
          BuildException.Code.BUILD_FAILED,
          listener);
    } catch (IOException e) {
      throw new BuildException(
          BuildException.Code.CONTEXT_UNREADABLE, "cannot write the meta image's context", e);
    }
  }

  private static ImageRef inRegistry(ImageRef image, String registry) {
    try {
      return image.inRegistry(registry);
    } catch (IllegalArgumentException e) {
      throw new BuildException(BuildException.Code.INVALID_REQUEST, e.getMessage(), e);
    }
  }
}
