package dev.lain.console;

import java.time.Instant;
import java.util.Objects;

/** The console's stored records other than users. */
final class Records {
  private Records() {}

  /**
   * A token as stored: never the secret itself, only its SHA-256.
   *
   * @param sha256 hex SHA-256 of the secret part of the token
   */
  record StoredToken(String id, String user, String sha256, Instant created, Instant lastUsed) {
    StoredToken {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(created, "created");
      Objects.requireNonNull(lastUsed, "lastUsed");
    }

    StoredToken usedAt(Instant when) {
      return new StoredToken(id, user, sha256, created, when);
    }
  }

  /** A registered app (LAIN's {@code lain reposit}). */
  record Repo(String appname, Instant created, String createdBy) {}

  /** One maintainer of one app. */
  record Maintainer(String username, Role role, Instant added, String addedBy) {}

  /**
   * A deployed app, at LAIN's key {@code /lain/console/apps/<app>} with LAIN's field names where
   * they exist.
   *
   * @param meta the lain.yaml of {@code metaVersion}
   * @param runningState {@code deploying} while the console writes pod groups, {@code deployed}
   *     after, {@code error} when that failed ({@code lastError} says why)
   */
  record AppRecord(
      String appname,
      String metaVersion,
      String meta,
      String releaseImage,
      String runningState,
      Instant lastUpdate,
      String lastError,
      String updatedBy) {
    static final String DEPLOYING = "deploying";
    static final String DEPLOYED = "deployed";
    static final String ERROR = "error";

    AppRecord {
      Objects.requireNonNull(appname, "appname");
      Objects.requireNonNull(metaVersion, "metaVersion");
      Objects.requireNonNull(meta, "meta");
      Objects.requireNonNull(releaseImage, "releaseImage");
      Objects.requireNonNull(runningState, "runningState");
      Objects.requireNonNull(lastUpdate, "lastUpdate");
      lastError = lastError == null ? "" : lastError;
      updatedBy = updatedBy == null ? "" : updatedBy;
    }

    AppRecord withUpdatedBy(String user) {
      return new AppRecord(
          appname, metaVersion, meta, releaseImage, runningState, lastUpdate, lastError, user);
    }

    AppRecord withState(String state, String error, Instant when) {
      return new AppRecord(appname, metaVersion, meta, releaseImage, state, when, error, updatedBy);
    }
  }
}
