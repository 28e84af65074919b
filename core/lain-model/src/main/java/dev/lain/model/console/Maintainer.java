package dev.lain.model.console;

import java.time.Instant;
import java.util.Objects;

/** One maintainer of one app. */
public record Maintainer(String username, Role role, Instant added, String addedBy) {
  public Maintainer {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(added, "added");
    Objects.requireNonNull(addedBy, "addedBy");
  }
}
