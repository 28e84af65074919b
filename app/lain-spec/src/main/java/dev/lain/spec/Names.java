package dev.lain.spec;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Naming rules for apps, procs and environment variables. */
final class Names {
  static final String APPNAME_REGEX = "^[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$";
  private static final Pattern APPNAME = Pattern.compile(APPNAME_REGEX);
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** One DNS label: names end up in host names such as {@code <procname>-<instance>}. */
  static final int MAX_NAME_LENGTH = 63;

  private static final Set<String> RESERVED_APPNAMES = Set.of("service", "resource", "portal");
  private static final String RESOURCE_INSTANCE_PREFIX = "resource.";

  private Names() {}

  /**
   * Why {@code name} cannot be an app name. Console names resource instances {@code
   * resource.<resource>.<client>} and writes that into their lain.yaml, so that form is accepted
   * too.
   */
  static Optional<String> appnameProblem(String name) {
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

  /** Why {@code name} cannot be a proc name (same rule as app names). */
  static Optional<String> procNameProblem(String name) {
    return nameProblem(name, "web or admin-api");
  }

  static boolean simpleName(String name) {
    return name.length() <= MAX_NAME_LENGTH && APPNAME.matcher(name).matches();
  }

  static boolean isEnvKey(String key) {
    return ENV_KEY.matcher(key).matches();
  }

  private static Optional<String> nameProblem(String name, String example) {
    if (!APPNAME.matcher(name).matches()) {
      return Optional.of(
          "must match "
              + APPNAME_REGEX
              + " (letters and digits in groups joined by single '-', starting with a letter), e.g. "
              + example);
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of("is longer than " + MAX_NAME_LENGTH + " characters");
    }
    return Optional.empty();
  }
}
