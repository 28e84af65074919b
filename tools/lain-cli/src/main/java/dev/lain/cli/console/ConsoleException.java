package dev.lain.cli.console;

/**
 * The console refused a request or could not be reached.
 *
 * @param status the HTTP status, 0 when there was no answer
 * @param code the console's stable error code
 */
public final class ConsoleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ConsoleException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
