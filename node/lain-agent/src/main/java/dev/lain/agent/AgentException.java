package dev.lain.agent;

import java.io.Serial;

/**
 * Every refusal of the agent's API, on both sides: {@link AgentApi} maps the code to an HTTP status
 * and a JSON body {@code {"code", "message"}}; {@link AgentClient} maps the answer back to it.
 * Messages never carry the agent token.
 */
public final class AgentException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public enum Code {
    /** The request is malformed (400). */
    INVALID(400),
    /** No agent token, or the wrong one (401). */
    UNAUTHORIZED(401),
    /** No such container among those the agent manages (404). */
    NOT_FOUND(404),
    /** The node's container engine or the store cannot be reached (503). */
    UNAVAILABLE(503),
    /**
     * The client cannot reach the agent: it advertises no API, refuses the connection, does not
     * answer, or answers something that is not the agent API (502 where a proxy passes it on).
     */
    UNREACHABLE(502);

    private final int httpStatus;

    Code(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The code's word in JSON bodies: {@code not_found}. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Code code;

  public AgentException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public AgentException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
