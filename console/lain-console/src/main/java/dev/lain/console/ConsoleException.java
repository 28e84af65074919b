package dev.lain.console;

import dev.lain.api.ErrorCode;
import dev.lain.records.RecordException;
import java.io.Serial;

/**
 * Every refusal of a console request. {@link ConsoleServer} answers it with the code's HTTP status
 * and {@code {"code": ..., "message": ...}}; the message is written for the client and never holds
 * a token or an internal exception's text.
 */
public final class ConsoleException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ConsoleException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** A record's refusal, as the console answers it. */
  public static ConsoleException of(RecordException e) {
    return new ConsoleException(ErrorCode.valueOf(e.code().name()), e.getMessage());
  }

  public ErrorCode code() {
    return code;
  }

  static ConsoleException invalid(String message) {
    return new ConsoleException(ErrorCode.INVALID, message);
  }

  static ConsoleException notFound(String message) {
    return new ConsoleException(ErrorCode.NOT_FOUND, message);
  }

  static ConsoleException conflict(String message) {
    return new ConsoleException(ErrorCode.CONFLICT, message);
  }

  static ConsoleException forbidden(String message) {
    return new ConsoleException(ErrorCode.FORBIDDEN, message);
  }
}
