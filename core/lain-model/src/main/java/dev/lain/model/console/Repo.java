package dev.lain.model.console;

import java.time.Instant;
import java.util.Objects;

/** A registered app (LAIN's {@code lain reposit}). */
public record Repo(String appname, Instant created, String createdBy) {
  public Repo {
    Objects.requireNonNull(appname, "appname");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(createdBy, "createdBy");
  }
}
