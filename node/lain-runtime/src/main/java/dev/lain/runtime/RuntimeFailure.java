package dev.lain.runtime;

import java.io.Serial;

/** Every failure of a container runtime call. */
public final class RuntimeFailure extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public enum Code {
    /** The engine cannot be reached. */
    UNAVAILABLE,
    /** The image is not present and could not be pulled. */
    IMAGE_NOT_FOUND,
    /** A container with that name exists already. */
    NAME_IN_USE,
    /** No such container. */
    NOT_FOUND,
    /** The engine refused the request (bad spec, port in use, ...). */
    REJECTED
  }

  private final Code code;

  public RuntimeFailure(Code code, String message) {
    super(message);
    this.code = code;
  }

  public RuntimeFailure(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
