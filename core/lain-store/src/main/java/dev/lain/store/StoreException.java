package dev.lain.store;

import java.io.Serial;

/** Every failure of a store operation. */
public final class StoreException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently. */
  public enum Code {
    /** The URL names no backend or is malformed. */
    INVALID_URL,
    /** The backend cannot be reached or did not answer in time. */
    UNAVAILABLE,
    /** The lease does not exist (expired or revoked). */
    LEASE_NOT_FOUND,
    /** The requested revision has been compacted away. */
    COMPACTED,
    /** The store was closed. */
    CLOSED,
    /** The backend's local storage failed (disk, permissions, lock). */
    STORAGE,
    /**
     * A leader's write was refused because it no longer holds its {@link Fence}: another candidate
     * leads (or will) and nothing was written.
     */
    FENCED,
    /** A membership change was refused: it would lose the quorum, or it clashes with a member. */
    MEMBERSHIP
  }

  private final Code code;

  public StoreException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public StoreException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
