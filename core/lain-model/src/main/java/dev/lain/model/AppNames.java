package dev.lain.model;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Naming rules for apps and procs, as lain.yaml, the console and deployd apply them. Names end up
 * in store keys, container names and host names such as {@code <procname>-<instance>}.
 */
public final class AppNames {
  public static final String NAME_REGEX = "^[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$";
  private static final Pattern NAME = Pattern.compile(NAME_REGEX);

  /** One DNS label. */
  public static final int MAX_NAME_LENGTH = 63;

  private static final Set<String> RESERVED_APPNAMES = Set.of("service", "resource", "portal");
  private static final String RESOURCE_INSTANCE_PREFIX = "resource.";

  private AppNames() {}

  /**
   * Why {@code name} cannot be an app name. The console names resource instances {@code
   * resource.<resource>.<client>} and writes that into their lain.yaml, so that form is accepted
   * too.
   */
  public static Optional<String> appnameProblem(String name) {
    if (name.startsWith(RESOURCE_INSTANCE_PREFIX)) {
      String[] parts = name.split("\\.", -1);
      if (parts.length == 3 && simpleName(parts[1]) && simpleName(parts[2])) {
        return Optional.empty();
      }
      return Optional.of(
          "is not a valid resource instance name: expected resource.<resource>.<client app>");
    }
    if (RESERVED_APPNAMES.contains(name)) {
      return Optional.of("is reserved by LAIN; choose another app name");
    }
    return nameProblem(name, "hello-world");
  }

  /** Why {@code name} cannot be a proc name (the rule of app names). */
  public static Optional<String> procNameProblem(String name) {
    return nameProblem(name, "web or admin-api");
  }

  /** A name of the app-name rule, without the resource-instance form. */
  public static boolean simpleName(String name) {
    return name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
  }

  private static Optional<String> nameProblem(String name, String example) {
    if (!NAME.matcher(name).matches()) {
      return Optional.of(
          "must match "
              + NAME_REGEX
              + " (letters and digits in groups joined by single '-', starting with a letter), e.g. "
              + example);
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of(
          "is longer than " + MAX_NAME_LENGTH + " characters (at most " + MAX_NAME_LENGTH + ")");
    }
    return Optional.empty();
  }
}
