package dev.lain.model.console;

import java.time.Instant;
import java.util.Objects;

/**
 * A deployed app, at LAIN's key {@code /lain/console/apps/<app>} with LAIN's field names where they
 * exist.
 *
 * @param meta the lain.yaml of {@code metaVersion}
 * @param runningState {@code deploying} while the console writes pod groups, {@code deployed}
 *     after, {@code error} when that failed ({@code lastError} says why)
 */
public record AppRecord(
    String appname,
    String metaVersion,
    String meta,
    String releaseImage,
    String runningState,
    Instant lastUpdate,
    String lastError,
    String updatedBy) {
  public static final String DEPLOYING = "deploying";
  public static final String DEPLOYED = "deployed";
  public static final String ERROR = "error";

  public AppRecord {
    Objects.requireNonNull(appname, "appname");
    Objects.requireNonNull(metaVersion, "metaVersion");
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(releaseImage, "releaseImage");
    Objects.requireNonNull(runningState, "runningState");
    Objects.requireNonNull(lastUpdate, "lastUpdate");
    lastError = lastError == null ? "" : lastError;
    updatedBy = updatedBy == null ? "" : updatedBy;
  }

  public AppRecord withUpdatedBy(String user) {
    return new AppRecord(
        appname, metaVersion, meta, releaseImage, runningState, lastUpdate, lastError, user);
  }

  public AppRecord withState(String state, String error, Instant when) {
    return new AppRecord(appname, metaVersion, meta, releaseImage, state, when, error, updatedBy);
  }
}
