package dev.lain.spec;

import dev.lain.model.Typos;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "did you mean" for unknown keys: the closest allowed key within a small edit distance. */
final class Suggestions {
  static final String PROC_KEY_FORMS =
      "proc keys are web, worker, oneshot, web.<name>, worker.<name>, oneshot.<name>,"
          + " proc.<name> (with type:), portal.<name> and service.<name>";

  private static final Pattern PROC_LIKE_SEPARATOR =
      Pattern.compile("(?i)^(web|worker|oneshot|proc|portal|service)[_\\-:/ ]+(.+)$");
  private static final List<String> PROC_WORDS =
      List.of("web", "worker", "oneshot", "proc", "portal", "service");

  /** Proc key words that are only valid with a name after a dot. */
  private static final List<String> NAMED_PROC_WORDS = List.of("proc", "portal", "service");

  private Suggestions() {}

  /** The closest of {@code allowed}, if it is close enough to be a likely typo. */
  static Optional<String> closest(String key, List<String> allowed) {
    return Typos.closest(key, allowed);
  }

  /** The message for a key not in {@code allowed}, with a suggestion when one is close. */
  static String unknownKey(String key, List<String> allowed) {
    String start = "unknown key " + Describe.quote(key);
    return closest(key, allowed)
        .map(s -> start + ", did you mean " + Describe.quote(s) + "?")
        .orElseGet(() -> start + "; allowed keys: " + String.join(", ", allowed));
  }

  /**
   * Top-level unknown keys are mostly procs written in a form LAIN does not know, so those get the
   * list of proc key forms.
   */
  static String unknownTopLevelKey(String key, List<String> allowed) {
    String start = "unknown key " + Describe.quote(key);
    Matcher separated = PROC_LIKE_SEPARATOR.matcher(key);
    if (separated.matches()) {
      String suggestion = separated.group(1).toLowerCase(Locale.ROOT) + "." + separated.group(2);
      return start + ", did you mean " + Describe.quote(suggestion) + "? " + PROC_KEY_FORMS;
    }
    if (NAMED_PROC_WORDS.contains(key)) {
      return start
          + ": a "
          + key
          + " proc needs a name, e.g. "
          + key
          + ".<name>; "
          + PROC_KEY_FORMS;
    }
    Optional<String> closest = closest(key, allowed);
    if (closest.isPresent()) {
      boolean procWord = PROC_WORDS.contains(closest.get());
      String suggestion =
          NAMED_PROC_WORDS.contains(closest.get()) ? closest.get() + ".<name>" : closest.get();
      String hint = procWord ? " " + PROC_KEY_FORMS : "";
      return start + ", did you mean " + Describe.quote(suggestion) + "?" + hint;
    }
    if (looksLikeProc(key)) {
      return start + "; " + PROC_KEY_FORMS;
    }
    return start
        + "; top-level keys are "
        + String.join(", ", allowed.stream().filter(k -> !PROC_WORDS.contains(k)).toList())
        + ", and "
        + PROC_KEY_FORMS;
  }

  private static boolean looksLikeProc(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (key.contains(".")) {
      return true;
    }
    for (String word : PROC_WORDS) {
      if (lower.startsWith(word) || lower.endsWith(word)) {
        return true;
      }
    }
    return false;
  }
}
