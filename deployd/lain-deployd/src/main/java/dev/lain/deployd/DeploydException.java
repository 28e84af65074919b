package dev.lain.deployd;

import java.io.Serial;

/** Every refusal of a deployd operation; {@link DeploydApi} maps the code to an HTTP status. */
public final class DeploydException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public enum Code {
    /** The request is malformed or asks for something impossible (400). */
    INVALID(400),
    /** No such pod group or node (404). */
    NOT_FOUND(404),
    /** It exists already, or changed under us (409). */
    CONFLICT(409),
    /** The store cannot be reached (503). */
    UNAVAILABLE(503);

    private final int httpStatus;

    Code(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Code code;

  public DeploydException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
