package dev.lain.console;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A maintainer's role in an app (LAIN's). */
public enum Role {
  /** Everything on the app, including its maintainers and undeploy. */
  ADMIN,
  /** Deploy, upgrade, scale, roll back, restart and read logs. */
  NORMAL;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Role parse(String text) {
    return switch (text) {
      case "admin" -> ADMIN;
      case "normal" -> NORMAL;
      default ->
          throw ConsoleException.invalid(
              "bad role '" + Names.shorten(text) + "': use admin or normal");
    };
  }
}
