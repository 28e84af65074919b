package dev.lain.model.console;

import java.util.Locale;
import java.util.Optional;

/** A maintainer's role in an app (LAIN's); written {@code admin} or {@code normal}. */
public enum Role {
  /** Everything on the app, including its maintainers and undeploy. */
  ADMIN,
  /** Deploy, upgrade, scale, roll back, restart and read logs. */
  NORMAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role written as {@code text}, if it is one. */
  public static Optional<Role> named(String text) {
    return switch (text) {
      case "admin" -> Optional.of(ADMIN);
      case "normal" -> Optional.of(NORMAL);
      default -> Optional.empty();
    };
  }
}
