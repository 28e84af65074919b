package dev.lain.spec;

import dev.lain.model.Characters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Paths inside the container (volumes, secret files, copy sources, logs). They end up in {@code
 * docker -v host:container} arguments, so a ':' or a control character would change meaning.
 */
final class ContainerPaths {
  static final String APP_DIR = "/lain/app";
  static final String LOGS_DIR = "/lain/logs";

  /** Mounting over these would hide the image's own files (or everything). */
  static final Set<String> NOT_MOUNTABLE = Set.of("/", "/lain", APP_DIR);

  private ContainerPaths() {}

  /**
   * The normalised absolute form: '.' segments and repeated '/' removed, no trailing '/'. Relative
   * paths are taken under {@code /lain/app} when {@code relativeUnderApp}, else refused.
   */
  static Checked<String> absolute(String raw, boolean relativeUnderApp) {
    Checked<List<String>> segments = segments(raw);
    if (segments instanceof Checked.Bad<List<String>> bad) {
      return Checked.bad(bad.problem());
    }
    List<String> parts = new ArrayList<>(((Checked.Ok<List<String>>) segments).value());
    if (!raw.startsWith("/")) {
      if (!relativeUnderApp) {
        return Checked.bad("must be an absolute path (starting with /)");
      }
      parts.addAll(0, List.of("lain", "app"));
    }
    return Checked.ok("/" + String.join("/", parts));
  }

  /** A name under a base directory ({@code logs} under /lain/logs, prepare {@code keep}). */
  static Checked<String> relative(String raw, String base) {
    if (raw.startsWith("/")) {
      return Checked.bad("must be relative to " + base + ", not an absolute path");
    }
    Checked<List<String>> segments = segments(raw);
    if (segments instanceof Checked.Bad<List<String>> bad) {
      return Checked.bad(bad.problem());
    }
    List<String> parts = ((Checked.Ok<List<String>>) segments).value();
    if (parts.isEmpty()) {
      return Checked.bad("names no file: it is " + base + " itself");
    }
    return Checked.ok(String.join("/", parts));
  }

  private static Checked<List<String>> segments(String raw) {
    if (raw.isEmpty()) {
      return Checked.bad("is empty");
    }
    for (int i = 0; i < raw.length(); ) {
      int c = raw.codePointAt(i);
      i += Character.charCount(c);
      if (c == ':' || Character.isISOControl(c)) {
        return Checked.bad(
            "contains " + Characters.describe(c) + ", which cannot appear in a container path");
      }
    }
    List<String> parts = new ArrayList<>();
    for (String segment : raw.split("/")) {
      if (segment.equals("..")) {
        return Checked.bad("must not contain '..'");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        parts.add(segment);
      }
    }
    return Checked.ok(parts);
  }
}
