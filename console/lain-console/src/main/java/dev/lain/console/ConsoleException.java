package dev.lain.console;

import java.io.Serial;
import java.util.Locale;

/**
 * Every refusal of a console request. {@link ConsoleServer} maps the code to the HTTP status and
 * the JSON body {@code {"code": ..., "message": ...}}; the message is written for the client and
 * never holds a token or an internal exception's text.
 */
public final class ConsoleException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** The stable error codes clients may switch on. */
  public enum Code {
    /** The request is malformed or asks for something impossible (400). */
    INVALID(400),
    /** No valid token (401). */
    UNAUTHORIZED(401),
    /** The caller's roles do not allow it (403). */
    FORBIDDEN(403),
    /** No such repo, app, proc, user, token or version (404). */
    NOT_FOUND(404),
    /** It exists already, or changed under us (409). */
    CONFLICT(409),
    /** The store or deployd cannot be reached (503). */
    UNAVAILABLE(503);

    private final int httpStatus;

    Code(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The code as clients see it: {@code not_found}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Code code;

  public ConsoleException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  static ConsoleException invalid(String message) {
    return new ConsoleException(Code.INVALID, message);
  }

  static ConsoleException notFound(String message) {
    return new ConsoleException(Code.NOT_FOUND, message);
  }

  static ConsoleException conflict(String message) {
    return new ConsoleException(Code.CONFLICT, message);
  }

  static ConsoleException forbidden(String message) {
    return new ConsoleException(Code.FORBIDDEN, message);
  }
}
