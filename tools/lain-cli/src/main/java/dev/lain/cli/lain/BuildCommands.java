package dev.lain.cli.lain;

import dev.lain.build.BuildListener;
import dev.lain.build.BuildRequest;
import dev.lain.build.BuildResult;
import dev.lain.build.ImageRef;
import dev.lain.build.LainBuilder;
import dev.lain.build.MetaVersion;
import dev.lain.build.Phase;
import dev.lain.cli.ExitCode;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lain build|test|tag|push}: LAIN's image pipeline on the local Docker engine ({@code
 * $DOCKER_HOST}, else the system socket), then into a phase's registry.
 */
final class BuildCommands {
  private BuildCommands() {}

  static LainBuilder builder(LainCommand lain) {
    String host = lain.context.env("DOCKER_HOST");
    return LainBuilder.connect(
        URI.create(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host));
  }

  static BuildRequest request(LainCommand lain) {
    return BuildRequest.read(lain.context.workingDir(), MetaVersion.parse(MetaCommand.of(lain)));
  }

  static String registry(LainCommand lain, String phase) {
    String registry = Cluster.of(lain, phase).phase().registry();
    if (registry == null) {
      throw new IllegalStateException(
          "phase "
              + phase
              + " has no registry: lain config save "
              + phase
              + " registry HOST[:PORT]");
    }
    return registry;
  }

  /** Tags the meta and release images for {@code phase}'s registry and pushes them. */
  static void push(
      LainCommand lain, LainBuilder builder, String app, MetaVersion version, String phase) {
    String registry = registry(lain, phase);
    BuildListener progress = BuildListener.printingTo(lain.context.err());
    for (ImageRef image : builder.tag(app, version, registry)) {
      builder.push(image, progress);
    }
    lain.context.err().println("pushed " + app + " " + version + " to " + registry);
  }

  /** Whether the current commit's release and meta images exist; says what to run if not. */
  static boolean built(LainCommand lain, LainBuilder builder, BuildRequest request, String phase) {
    for (Phase needed : List.of(Phase.RELEASE, Phase.META)) {
      ImageRef image = ImageRef.of(request.spec().appname(), needed, request.version());
      if (!builder.exists(image)) {
        lain.context
            .err()
            .println(
                "error: "
                    + image.reference()
                    + " is not built: run lain build (or lain build --push "
                    + phase
                    + ")");
        return false;
      }
    }
    return true;
  }

  @Command(
      name = "build",
      description =
          "Build the app's images (prepare, build, release, meta) for the current commit;"
              + " --push PHASE also pushes them to the phase's registry.")
  static final class Build implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Option(
        names = "--push",
        paramLabel = "PHASE",
        description = "Push to PHASE's registry afterwards.")
    String pushTo;

    @Override
    public Integer call() {
      BuildRequest request = request(lain);
      PrintWriter out = lain.context.out();
      try (LainBuilder builder = builder(lain)) {
        BuildResult result = builder.build(request, BuildListener.printingTo(lain.context.err()));
        out.println("release " + result.releaseImage().reference());
        out.println("meta    " + result.metaImage().reference());
        if (pushTo != null) {
          push(lain, builder, request.spec().appname(), request.version(), pushTo);
          out.println("next: lain deploy " + pushTo);
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "test",
      description = "Build, then run test.script in a test image; fails when it fails.")
  static final class Test implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Override
    public Integer call() {
      BuildRequest request = request(lain);
      try (LainBuilder builder = builder(lain)) {
        ImageRef image = builder.test(request, BuildListener.printingTo(lain.context.err()));
        lain.context.out().println("tests passed in " + image.reference());
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "tag",
      description = "Tag the current commit's meta and release images for a phase's registry.")
  static final class Tag implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Override
    public Integer call() {
      BuildRequest request = request(lain);
      try (LainBuilder builder = builder(lain)) {
        if (!built(lain, builder, request, phase)) {
          return ExitCode.FAILED;
        }
        List<ImageRef> tagged =
            builder.tag(request.spec().appname(), request.version(), registry(lain, phase));
        tagged.forEach(image -> lain.context.out().println(image.reference()));
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "push",
      description = "Push the current commit's meta and release images to a phase's registry.")
  static final class Push implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Override
    public Integer call() {
      BuildRequest request = request(lain);
      String app = request.spec().appname();
      try (LainBuilder builder = builder(lain)) {
        if (!built(lain, builder, request, phase)) {
          return ExitCode.FAILED;
        }
        push(lain, builder, app, request.version(), phase);
        lain.context.out().println("next: lain deploy " + phase);
      }
      return ExitCode.OK;
    }
  }
}
