package dev.lain.api.console;

import java.time.Instant;
import java.util.List;

/**
 * A deployed app: the console's record joined with deployd's runtime.
 *
 * @param state {@code deploying}, {@code healthy}, {@code unhealthy} or {@code error}
 * @param lastError why it is in {@code error}; empty otherwise
 */
public record AppView(
    String appname,
    String metaVersion,
    String releaseImage,
    String state,
    String lastError,
    Instant lastUpdate,
    String updatedBy,
    List<ProcView> procs) {
  public static final String DEPLOYING = "deploying";
  public static final String HEALTHY = "healthy";
  public static final String UNHEALTHY = "unhealthy";
  public static final String ERROR = "error";

  public AppView {
    procs = List.copyOf(procs);
  }
}
