package dev.lain.api;

import java.util.Locale;

/**
 * The stable error codes of the console and deployd APIs, as clients see them ({@code
 * {"code":"not_found","message":...}}), with their HTTP status. Servers map their refusals to these
 * in one place each.
 */
public enum ErrorCode {
  /** The request is malformed or asks for something impossible. */
  INVALID(400),
  /** No valid token. */
  UNAUTHORIZED(401),
  /** The caller's roles do not allow it. */
  FORBIDDEN(403),
  /** No such thing. */
  NOT_FOUND(404),
  /** It exists already, or changed under us. */
  CONFLICT(409),
  /** A failure of the server's own; the message never says more than where to look. */
  INTERNAL(500),
  /** The store, the leader or a node cannot be reached. */
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** {@code not_found}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** An error answer's body. */
  public record Body(String code, String message) {}

  public Body body(String message) {
    return new Body(wireName(), message);
  }
}
