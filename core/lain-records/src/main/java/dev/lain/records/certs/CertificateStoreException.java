package dev.lain.records.certs;

import java.io.Serial;
import java.util.List;

/** Every refusal of {@link CertificateStore}: the name, the record or the ssl patterns said no. */
public final class CertificateStoreException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently. */
  public enum Code {
    /** The certificate name breaks the naming rule; nothing was written. */
    INVALID_NAME,
    /** No certificate has that name. */
    NOT_FOUND,
    /**
     * A certificate of that name exists and replacing it was not asked for; nothing was written.
     */
    EXISTS,
    /** {@code /lain/config/ssl} still points patterns at the certificate; nothing was removed. */
    IN_USE,
    /** The stored record cannot be read (written by hand, or by a newer version). */
    UNREADABLE,
    /** Others kept changing the same keys while we tried to write; nothing was written. */
    CONFLICT
  }

  private final Code code;
  private final String[] details;

  public CertificateStoreException(Code code, String message) {
    this(code, message, List.of());
  }

  public CertificateStoreException(Code code, String message, List<String> details) {
    super(message);
    this.code = code;
    this.details = details.toArray(String[]::new);
  }

  public Code code() {
    return code;
  }

  /** For {@link Code#IN_USE}: the {@code /lain/config/ssl} patterns that use the certificate. */
  public List<String> details() {
    return List.of(details);
  }
}
