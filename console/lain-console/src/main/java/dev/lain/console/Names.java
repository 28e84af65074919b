package dev.lain.console;

import java.util.Set;
import java.util.regex.Pattern;

/** The rules for names that come in requests and end up in store keys. */
final class Names {
  /** LAIN's app name rule (lain-sdk), as lain.yaml validation applies it. */
  private static final Pattern APP = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*");

  private static final Set<String> RESERVED_APPS = Set.of("service", "resource", "portal");
  private static final int MAX_APP = 63;

  private static final Pattern USER = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** {@code <commit time>-<sha>}, as {@code lain meta} prints it. */
  private static final Pattern META_VERSION = Pattern.compile("[0-9]{1,12}-[0-9a-f]{7,64}");

  private static final Pattern PROC = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*");

  /** Audit records use this for requests without a valid token. */
  static final String ANONYMOUS = "anonymous";

  private Names() {}

  static String app(String name) {
    if (name == null || name.isEmpty()) {
      throw ConsoleException.invalid("appname is required");
    }
    if (name.length() > MAX_APP || !APP.matcher(name).matches()) {
      throw ConsoleException.invalid(
          "bad appname '"
              + shorten(name)
              + "': letters and digits in groups joined by single '-', starting with a letter,"
              + " at most 63 characters, e.g. hello-world");
    }
    if (RESERVED_APPS.contains(name)) {
      throw ConsoleException.invalid("appname '" + name + "' is reserved by LAIN");
    }
    return name;
  }

  static String user(String name) {
    if (name == null || name.isEmpty()) {
      throw ConsoleException.invalid("username is required");
    }
    if (!USER.matcher(name).matches()) {
      throw ConsoleException.invalid(
          "bad username '"
              + shorten(name)
              + "': lower-case letters, digits, '.', '_' and '-', starting with a letter, at most"
              + " 64 characters");
    }
    if (name.equals(ANONYMOUS)) {
      throw ConsoleException.invalid("username 'anonymous' is reserved");
    }
    return name;
  }

  static String metaVersion(String version) {
    if (!META_VERSION.matcher(version).matches()) {
      throw ConsoleException.invalid(
          "bad meta_version '"
              + shorten(version)
              + "': expected <commit time>-<git sha>, as `lain meta` prints it");
    }
    return version;
  }

  static String proc(String name) {
    if (name.length() > MAX_APP || !PROC.matcher(name).matches()) {
      throw ConsoleException.invalid("bad proc name '" + shorten(name) + "'");
    }
    return name;
  }

  private static final Pattern TOKEN_LIKE =
      Pattern.compile("lain_([0-9a-fA-F]{1,16})_?[A-Za-z0-9_-]*");

  /**
   * {@code text} with anything shaped like a token cut down to its id: a client may paste a token
   * into a path or a field, and logs and the audit log must not keep even part of its secret.
   */
  static String redact(String text) {
    return TOKEN_LIKE.matcher(text).replaceAll("lain_$1_<redacted>");
  }

  /** Echoing a client's value back must not turn an error into a huge or multi-line answer. */
  static String shorten(String value) {
    String oneLine = value.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= 64 ? oneLine : oneLine.substring(0, 61) + "...";
  }

  /** The commit time of a meta_version, for ordering (0 when it has none). */
  static long commitTime(String metaVersion) {
    int dash = metaVersion.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? metaVersion : metaVersion.substring(0, dash));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
