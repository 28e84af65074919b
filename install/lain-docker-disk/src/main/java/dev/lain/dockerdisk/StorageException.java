package dev.lain.dockerdisk;

/** Every failure of this module: what went wrong, in words an operator can act on. */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure. */
  public enum Code {
    /** The device or data root is not safe to use; nothing was changed. */
    REFUSED,
    /** A command of the plan failed; the message says which and what state the device is in. */
    COMMAND_FAILED,
    /** The existing daemon.json cannot be merged; nothing was written. */
    BAD_DAEMON_JSON,
    /** Docker does not use the prepared storage (driver, file system, loopback). */
    NOT_IN_USE,
    /** A file could not be read or written. */
    IO
  }

  private final Code code;

  public StorageException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public StorageException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
