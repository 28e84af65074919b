package dev.lain.build;

import java.util.Objects;

/**
 * Why building, pushing or reading images failed. The message is meant for the user as it is: it
 * names the image, the registry or the lain.yaml field and says what to do.
 */
public final class BuildException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently (exit codes, HTTP statuses). */
  public enum Code {
    /** The request cannot be built as given (lain.yaml invalid, names Docker refuses). */
    INVALID_REQUEST,
    /** A lain.yaml feature this builder does not implement yet ({@code build.volumes}). */
    NOT_SUPPORTED,
    /** The app directory cannot be read into a build context. */
    CONTEXT_UNREADABLE,
    /** The Docker engine does not answer or failed outside a build step. */
    DOCKER_UNAVAILABLE,
    /** A base image is not on the Docker engine and cannot be pulled. */
    BASE_IMAGE_MISSING,
    /** An image the step needs (e.g. the build image for {@code lain test}) does not exist. */
    IMAGE_MISSING,
    /** A Dockerfile step (build, prepare or test script) failed; the message has its output. */
    BUILD_FAILED,
    /** A {@code test.script} command failed; the message has its output. */
    TEST_FAILED,
    /** A {@code release.copy} source does not exist in the build image. */
    RELEASE_COPY_MISSING,
    /** Pushing an image to the registry failed. */
    PUSH_FAILED,
    /** The registry does not answer. */
    REGISTRY_UNREACHABLE,
    /** The registry has no repository of that name (the app was never pushed). */
    REPOSITORY_UNKNOWN,
    /** The repository has no such tag. */
    TAG_UNKNOWN,
    /** The registry asks for credentials; this client does not send any yet. */
    REGISTRY_UNAUTHORIZED,
    /** The registry answered with something unexpected. */
    REGISTRY_ERROR,
    /** The meta image holds no {@code /lain.yaml}. */
    NOT_A_META_IMAGE
  }

  private final Code code;

  public BuildException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public BuildException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public Code code() {
    return code;
  }
}
