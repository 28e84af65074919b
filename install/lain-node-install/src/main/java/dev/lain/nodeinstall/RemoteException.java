package dev.lain.nodeinstall;

import java.util.Objects;

/**
 * Why a node operation failed. The message names the node and the step, so that an operator reading
 * only it knows where to look; it never carries a password.
 */
public final class RemoteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure. */
  public enum Code {
    /** The request itself is wrong (bad NAME:IP, duplicate node, unknown node). */
    INVALID,
    /** The node cannot be reached over SSH. */
    UNREACHABLE,
    /** The node refused our key (and no password was given, or it was refused too). */
    AUTH_REFUSED,
    /** A step on the node failed. */
    STEP_FAILED,
    /** The cluster refuses the operation (last node, store member). */
    REFUSED,
    /** Something did not happen in time (registration, draining). */
    TIMEOUT,
    /** The cluster store could not be read or written. */
    STORE
  }

  private final Code code;

  public RemoteException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public RemoteException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public Code code() {
    return code;
  }
}
