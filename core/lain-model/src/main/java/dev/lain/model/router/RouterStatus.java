package dev.lain.model.router;

import java.time.Instant;
import java.util.Objects;

/**
 * What a webrouter reports about itself (under a lease, so a dead router disappears).
 *
 * @param appliedRevision the store revision of the configuration nginx is serving now
 * @param appliedAt when nginx confirmed that configuration
 * @param routes how many host/path routes it serves
 * @param error what the router cannot serve, empty when it serves everything: why the last
 *     configuration was refused (nginx kept the previous one), and the certificates and mountpoints
 *     it left out
 * @param reloads configurations nginx has taken since the router started
 * @param rejected configurations refused (by {@code nginx -t} or otherwise) since it started
 * @param effectiveMillis for the last reload, from the router seeing the change to nginx serving it
 */
public record RouterStatus(
    String name,
    long appliedRevision,
    Instant appliedAt,
    int routes,
    String error,
    long reloads,
    long rejected,
    long effectiveMillis) {
  public RouterStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(appliedAt, "appliedAt");
    Objects.requireNonNull(error, "error");
  }

  /** A router that has not applied anything yet. */
  public static RouterStatus initial(String name) {
    return new RouterStatus(name, 0, Instant.EPOCH, 0, "", 0, 0, 0);
  }
}
