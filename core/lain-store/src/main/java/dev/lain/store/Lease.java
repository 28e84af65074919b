package dev.lain.store;

import java.time.Duration;
import java.util.Objects;

/** A granted lease: keys attached to it live only as long as it is kept alive. */
public record Lease(long id, Duration ttl) {
  /** The lease id meaning "no lease". */
  public static final long NONE = 0;

  public Lease {
    if (id == NONE) {
      throw new IllegalArgumentException("lease id 0 is reserved for 'no lease'");
    }
    Objects.requireNonNull(ttl, "ttl");
  }
}
