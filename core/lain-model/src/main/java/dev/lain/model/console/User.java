package dev.lain.model.console;

import java.time.Instant;
import java.util.Objects;

/**
 * A console user.
 *
 * @param admin a cluster admin: may do everything
 */
public record User(String name, boolean admin, Instant created) {
  public User {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(created, "created");
  }
}
