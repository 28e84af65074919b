package dev.lain.model.router;

import java.time.Instant;
import java.util.Objects;

/**
 * What a webrouter reports about itself (under a lease, so a dead router disappears).
 *
 * @param appliedRevision the store revision of the configuration nginx is serving now
 * @param appliedAt when nginx confirmed that configuration
 * @param routes how many host/path routes it serves
 * @param error why the last change could not be applied (nginx kept the previous configuration);
 *     empty when the last change applied
 */
public record RouterStatus(
    String name, long appliedRevision, Instant appliedAt, int routes, String error) {
  public RouterStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(appliedAt, "appliedAt");
    Objects.requireNonNull(error, "error");
  }
}
