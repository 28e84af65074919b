package dev.lain.spec;

/**
 * A location in the manifest as users read it: {@code build.script[2]}, {@code procs web.memory}.
 * Inside a proc the key is kept as written ({@code procs web.admin}), so the proc is recognisable
 * even though its key contains a dot.
 */
record FieldPath(String text) {
  static final FieldPath ROOT = new FieldPath("");

  static FieldPath proc(String keyAsWritten) {
    return new FieldPath("procs " + printable(keyAsWritten));
  }

  FieldPath key(String key) {
    String segment = printable(key);
    return new FieldPath(text.isEmpty() ? segment : text + "." + segment);
  }

  FieldPath index(int index) {
    return new FieldPath(text + "[" + index + "]");
  }

  /** Keys come from untrusted text; a path must stay on one line. */
  private static String printable(String key) {
    StringBuilder out = new StringBuilder();
    key.codePoints()
        .limit(80)
        .forEach(c -> out.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
    return key.codePointCount(0, key.length()) > 80 ? out + "..." : out.toString();
  }
}
