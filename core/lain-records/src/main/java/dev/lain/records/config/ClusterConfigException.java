package dev.lain.records.config;

import java.io.Serial;
import java.util.List;

/** Every failure of reading or changing the cluster configuration. */
public final class ClusterConfigException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public enum Code {
    /** No such configuration key. */
    UNKNOWN_KEY,
    /** The value breaks the key's rules; nothing was written. */
    INVALID_VALUE,
    /** Someone else changed the key between our read and our write; nothing was written. */
    CONFLICT
  }

  private final Code code;
  private final String[] problems;

  public ClusterConfigException(Code code, String message) {
    this(code, message, List.of());
  }

  public ClusterConfigException(Code code, String message, List<String> problems) {
    super(message);
    this.code = code;
    this.problems = problems.toArray(String[]::new);
  }

  public Code code() {
    return code;
  }

  /** For {@link Code#INVALID_VALUE}: every problem found. */
  public List<String> problems() {
    return List.of(problems);
  }
}
