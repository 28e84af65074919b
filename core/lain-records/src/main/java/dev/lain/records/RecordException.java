package dev.lain.records;

import java.io.Serial;

/**
 * A refused change or read of a cluster record: its rules said no, it does not exist, it changed
 * under the caller, or the store cannot be reached. The message is written for the client (it names
 * the record and what to do) and never holds a secret.
 */
public final class RecordException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public enum Code {
    /** The value breaks the record's rules. */
    INVALID,
    /** No such record. */
    NOT_FOUND,
    /** It exists already, or changed meanwhile. */
    CONFLICT,
    /** The store cannot be reached. */
    UNAVAILABLE
  }

  private final Code code;

  public RecordException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static RecordException invalid(String message) {
    return new RecordException(Code.INVALID, message);
  }

  public static RecordException notFound(String message) {
    return new RecordException(Code.NOT_FOUND, message);
  }

  public static RecordException conflict(String message) {
    return new RecordException(Code.CONFLICT, message);
  }
}
