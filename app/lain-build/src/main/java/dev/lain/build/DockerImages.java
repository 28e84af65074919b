package dev.lain.build;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Docker engine calls the build pipeline makes, with failures turned into BuildExceptions. */
final class DockerImages {
  /** Lines of a failing step kept for the error message. */
  private static final int FAILED_STEP_LINES = 200;

  private final DockerClient client;

  DockerImages(DockerClient client) {
    this.client = client;
  }

  /** The image's id ({@code sha256:...}) if the engine has it. */
  Optional<String> imageId(String reference) {
    try {
      return Optional.of(client.inspectImageCmd(reference).exec().getId());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw unavailable("inspect image " + reference, e);
    }
  }

  /**
   * Returns the id of {@code reference}, pulling it only when the engine does not have it.
   *
   * @param role what lain.yaml calls it, for the message ({@code build.base})
   */
  String ensureLocal(String reference, String role, BuildListener listener) {
    Optional<String> id = imageId(reference);
    if (id.isPresent()) {
      return id.get();
    }
    listener.on(
        new BuildEvent.Stage("pulling " + role + " " + reference + " (not on this docker)"));
    ImageRef ref;
    try {
      ref = ImageRef.parse(reference);
    } catch (IllegalArgumentException e) {
      throw new BuildException(
          BuildException.Code.INVALID_REQUEST, role + " '" + reference + "': " + e.getMessage(), e);
    }
    Follow<PullResponseItem> pull = new Follow<>(listener, reference);
    try {
      client.pullImageCmd(ref.repository()).withTag(ref.tag()).exec(pull);
      pull.await();
    } catch (RuntimeException e) {
      throw new BuildException(
          BuildException.Code.BASE_IMAGE_MISSING,
          role
              + " image "
              + reference
              + " is not on this docker and cannot be pulled ("
              + dockerSays(e)
              + "): build or load it locally (docker build / docker load), or push it to a"
              + " registry docker can reach and name it so in lain.yaml",
          e);
    }
    return imageId(reference)
        .orElseThrow(
            () ->
                new BuildException(
                    BuildException.Code.BASE_IMAGE_MISSING,
                    role + " image " + reference + " was pulled but docker does not list it"));
  }

  /** The tags the engine has for {@code repository} (an app name). */
  List<String> localTags(String repository) {
    List<String> tags = new ArrayList<>();
    try {
      for (Image image : client.listImagesCmd().withReferenceFilter(repository).exec()) {
        if (image.getRepoTags() == null) {
          continue;
        }
        for (String repoTag : image.getRepoTags()) {
          if (repoTag.startsWith(repository + ":")) {
            tags.add(repoTag.substring(repository.length() + 1));
          }
        }
      }
    } catch (RuntimeException e) {
      throw unavailable("list images of " + repository, e);
    }
    return tags;
  }

  /**
   * Builds {@code context} (a tar with a Dockerfile at its root) and tags it; returns the image id.
   *
   * @param what the image, for events and messages; {@code tag} may be empty for an untagged build
   */
  String build(
      Path context,
      String what,
      Optional<ImageRef> tag,
      Map<String, String> buildArgs,
      boolean noCache,
      BuildException.Code failureCode,
      BuildListener listener) {
    BuildOutput output = new BuildOutput(what, listener);
    try (InputStream tar = Files.newInputStream(context)) {
      BuildImageCmd command =
          client
              .buildImageCmd(tar)
              .withPull(false)
              .withNoCache(noCache)
              .withRemove(true)
              .withForcerm(true);
      tag.ifPresent(t -> command.withTags(Set.of(t.reference())));
      buildArgs.forEach(command::withBuildArg);
      command.exec(output);
      output.await();
    } catch (IOException e) {
      throw new BuildException(
          BuildException.Code.CONTEXT_UNREADABLE, "cannot read the build context of " + what, e);
    } catch (RuntimeException e) {
      throw unavailable("build " + what, e);
    }
    if (output.error != null) {
      throw new BuildException(failureCode, output.failureMessage());
    }
    if (output.imageId == null) {
      throw new BuildException(
          BuildException.Code.DOCKER_UNAVAILABLE,
          "docker did not report an image id for " + what + ":\n" + String.join("\n", output.step));
    }
    return output.imageId;
  }

  void tag(String source, ImageRef target) {
    try {
      client.tagImageCmd(source, target.repository(), target.tag()).withForce(true).exec();
    } catch (NotFoundException e) {
      throw new BuildException(
          BuildException.Code.IMAGE_MISSING,
          "cannot tag " + source + " as " + target + ": docker has no image " + source,
          e);
    } catch (RuntimeException e) {
      throw unavailable("tag " + source + " as " + target, e);
    }
  }

  void push(ImageRef image, BuildListener listener) {
    if (imageId(image.reference()).isEmpty()) {
      throw new BuildException(
          BuildException.Code.IMAGE_MISSING,
          "cannot push " + image + ": docker has no such image (build and tag it first)");
    }
    Follow<PushResponseItem> push = new Follow<>(listener, image.reference());
    try {
      client.pushImageCmd(image.repository()).withTag(image.tag()).exec(push);
      push.await();
    } catch (RuntimeException e) {
      throw new BuildException(
          BuildException.Code.PUSH_FAILED, "cannot push " + image + ": " + dockerSays(e), e);
    }
  }

  /** Removes an image by id or name; an image already gone is not an error. */
  void remove(String image) {
    try {
      client.removeImageCmd(image).withForce(true).exec();
    } catch (NotFoundException e) {
      // Gone already.
    } catch (RuntimeException e) {
      throw unavailable("remove image " + image, e);
    }
  }

  /**
   * Copies {@code path} out of {@code image} into {@code into}, each entry's name prefixed with
   * {@code prefix}; the top entry is named after the path's last segment, as docker cp does.
   *
   * @throws BuildException {@link BuildException.Code#RELEASE_COPY_MISSING} if the path does not
   *     exist in the image
   */
  void copyOut(String image, String path, String prefix, TarWriter into) {
    withContainer(
        image,
        container -> {
          try (TarReader tar =
              new TarReader(client.copyArchiveFromContainerCmd(container, path).exec())) {
            for (Optional<TarEntry> next = tar.next(); next.isPresent(); next = tar.next()) {
              TarEntry entry = next.get().withName(prefix + next.get().name());
              if (entry.type() == TarEntry.HARD_LINK) {
                entry = entry.withLinkName(prefix + entry.linkName());
              }
              into.write(entry, tar.content());
            }
          } catch (NotFoundException e) {
            throw new BuildException(
                BuildException.Code.RELEASE_COPY_MISSING,
                path + " does not exist in " + image + " (release.copy src)",
                e);
          } catch (IOException e) {
            throw new BuildException(
                BuildException.Code.DOCKER_UNAVAILABLE,
                "cannot copy " + path + " out of " + image + ": " + e.getMessage(),
                e);
          }
          return null;
        });
  }

  /**
   * The content of the file at {@code path} in {@code image}.
   *
   * @throws BuildException {@link BuildException.Code#IMAGE_MISSING} if the image or the file does
   *     not exist, or the path is not a regular file
   */
  byte[] readFile(String image, String path) {
    return withContainer(
        image,
        container -> {
          try (TarReader tar =
              new TarReader(client.copyArchiveFromContainerCmd(container, path).exec())) {
            Optional<TarEntry> first = tar.next();
            if (first.isEmpty() || !first.get().isFile()) {
              throw new BuildException(
                  BuildException.Code.IMAGE_MISSING,
                  path + " in " + image + " is not a regular file");
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            tar.content().transferTo(content);
            return content.toByteArray();
          } catch (NotFoundException e) {
            throw new BuildException(
                BuildException.Code.IMAGE_MISSING, path + " does not exist in " + image, e);
          } catch (IOException e) {
            throw new BuildException(
                BuildException.Code.DOCKER_UNAVAILABLE,
                "cannot read " + path + " from " + image + ": " + e.getMessage(),
                e);
          }
        });
  }

  private interface InContainer<T> {
    T apply(String containerId);
  }

  /** Runs {@code action} with a created (never started) container of {@code image}. */
  private <T> T withContainer(String image, InContainer<T> action) {
    String id;
    try {
      // A command is needed for images without one (meta images); it never runs.
      id =
          client
              .createContainerCmd(image)
              .withCmd("/lain-build-extract")
              .withLabels(Map.of("dev.lain.build", "extract"))
              .exec()
              .getId();
    } catch (NotFoundException e) {
      throw new BuildException(
          BuildException.Code.IMAGE_MISSING, "docker has no image " + image, e);
    } catch (RuntimeException e) {
      throw unavailable("create a container of " + image, e);
    }
    try {
      return action.apply(id);
    } finally {
      try {
        client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
      } catch (RuntimeException e) {
        System.err.println("cannot remove the extraction container " + id + ": " + e);
      }
    }
  }

  private static BuildException unavailable(String action, RuntimeException e) {
    if (e instanceof BuildException build) {
      return build;
    }
    return new BuildException(
        BuildException.Code.DOCKER_UNAVAILABLE,
        "docker cannot " + action + ": " + dockerSays(e),
        e);
  }

  /** Docker's own words: the engine's JSON {@code message}, not the whole HTTP exchange. */
  static String dockerSays(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof DockerException) {
      int at = message.indexOf("{\"message\":\"");
      if (at >= 0) {
        int end = message.lastIndexOf("\"}");
        if (end > at) {
          return message.substring(at + 12, end).replace("\\\"", "\"").replace("\\n", " ").strip();
        }
      }
    }
    return message.strip();
  }

  /**
   * Follows a pull or push: forwards status changes, keeps the first error. docker-java's own
   * callbacks log failures at error level; here they are the caller's to report.
   */
  private static final class Follow<T extends ResponseItem> extends ResultCallback.Adapter<T> {
    private final BuildListener listener;
    private final String image;
    private final Map<String, String> lastStatus = new HashMap<>();
    private volatile Throwable failure;
    private volatile String error;

    Follow(BuildListener listener, String image) {
      this.listener = listener;
      this.image = image;
    }

    @Override
    public void onNext(T item) {
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        error = item.getErrorDetail().getMessage();
        return;
      }
      String status = item.getStatus();
      if (status == null) {
        return;
      }
      String layer = item.getId() == null ? "" : item.getId();
      if (!status.equals(lastStatus.put(layer, status))) {
        listener.on(new BuildEvent.Progress(image, layer, status));
      }
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      try {
        close();
      } catch (IOException e) {
        // Over either way.
      }
    }

    void await() {
      try {
        awaitCompletion();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DockerClientException("interrupted", e);
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure != null) {
        throw new DockerClientException(dockerSays(failure), failure);
      }
      if (error != null) {
        throw new DockerClientException(error);
      }
    }
  }

  /** Follows a build: output lines to the listener, the current step's lines for errors. */
  private static final class BuildOutput extends ResultCallback.Adapter<BuildResponseItem> {
    private final String image;
    private final BuildListener listener;
    private final StringBuilder partial = new StringBuilder();
    private final Deque<String> step = new ArrayDeque<>();
    private volatile String imageId;
    private volatile String error;
    private volatile Throwable failure;

    BuildOutput(String image, BuildListener listener) {
      this.image = image;
      this.listener = listener;
    }

    @Override
    public void onNext(BuildResponseItem item) {
      if (item.getStream() != null) {
        partial.append(item.getStream());
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
          line(partial.substring(0, newline));
          partial.delete(0, newline + 1);
        }
      }
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        error = item.getErrorDetail().getMessage();
      }
      if (item.isBuildSuccessIndicated() && item.getImageId() != null) {
        imageId = item.getImageId();
      }
    }

    private void line(String line) {
      if (line.startsWith("Step ")) {
        step.clear();
      }
      step.addLast(line);
      if (step.size() > FAILED_STEP_LINES) {
        step.removeFirst();
      }
      listener.on(new BuildEvent.Output(image, line));
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      try {
        close();
      } catch (IOException e) {
        // Over either way.
      }
    }

    @Override
    public void onComplete() {
      if (!partial.isEmpty()) {
        line(partial.toString());
        partial.setLength(0);
      }
      super.onComplete();
    }

    void await() {
      try {
        awaitCompletion();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DockerClientException("interrupted while building " + image, e);
      }
      if (failure != null && error == null) {
        // docker-java reports a build error in the stream as an exception too.
        error = dockerSays(failure);
      }
    }

    String failureMessage() {
      return "building "
          + image
          + " failed: "
          + error.strip()
          + "\noutput of the failing step:\n"
          + String.join("\n", step);
    }
  }
}
