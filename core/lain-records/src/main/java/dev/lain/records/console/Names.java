package dev.lain.records.console;

import dev.lain.model.AppNames;
import dev.lain.records.RecordException;
import java.util.regex.Pattern;

/**
 * The rules for names that come in requests and end up in the console's store keys (app and proc
 * names are {@link AppNames}', as lain.yaml applies them).
 */
public final class Names {
  private static final Pattern USER = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

  /** {@code <commit time>-<sha>}, as {@code lain meta} prints it. */
  private static final Pattern META_VERSION = Pattern.compile("[0-9]{1,12}-[0-9a-f]{7,64}");

  /** Audit records use this for requests without a valid token. */
  public static final String ANONYMOUS = "anonymous";

  private Names() {}

  public static String app(String name) {
    if (name == null || name.isEmpty()) {
      throw RecordException.invalid("appname is required");
    }
    AppNames.appnameProblem(name)
        .ifPresent(
            p -> {
              throw RecordException.invalid("bad appname '" + shorten(name) + "': it " + p);
            });
    return name;
  }

  public static String user(String name) {
    if (name == null || name.isEmpty()) {
      throw RecordException.invalid("username is required");
    }
    if (!USER.matcher(name).matches()) {
      throw RecordException.invalid(
          "bad username '"
              + shorten(name)
              + "': lower-case letters, digits, '.', '_' and '-', starting with a letter, at most"
              + " 64 characters");
    }
    if (name.equals(ANONYMOUS)) {
      throw RecordException.invalid("username 'anonymous' is reserved");
    }
    return name;
  }

  public static String metaVersion(String version) {
    if (!META_VERSION.matcher(version).matches()) {
      throw RecordException.invalid(
          "bad meta_version '"
              + shorten(version)
              + "': expected <commit time>-<git sha>, as `lain meta` prints it");
    }
    return version;
  }

  public static String proc(String name) {
    if (AppNames.procNameProblem(name).isPresent()) {
      throw RecordException.invalid("bad proc name '" + shorten(name) + "'");
    }
    return name;
  }

  private static final Pattern TOKEN_LIKE =
      Pattern.compile("lain_([0-9a-fA-F]{1,16})_?[A-Za-z0-9_-]*");

  /**
   * {@code text} with anything shaped like a token cut down to its id: a client may paste a token
   * into a path or a field, and logs and the audit log must not keep even part of its secret.
   */
  public static String redact(String text) {
    return TOKEN_LIKE.matcher(text).replaceAll("lain_$1_<redacted>");
  }

  /** Echoing a client's value back must not turn an error into a huge or multi-line answer. */
  public static String shorten(String value) {
    String oneLine = value.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= 64 ? oneLine : oneLine.substring(0, 61) + "...";
  }

  /** The commit time of a meta_version, for ordering (0 when it has none). */
  public static long commitTime(String metaVersion) {
    int dash = metaVersion.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? metaVersion : metaVersion.substring(0, dash));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
