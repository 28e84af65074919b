package dev.lain.spec;

/** How messages show values: quoted, escaped, shortened, and typed when the type is the problem. */
final class Describe {
  private static final int MAX_QUOTED = 60;

  private Describe() {}

  /** {@code "32x"}: the value as written, safe to print on one line. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    int shown = 0;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      if (shown++ == MAX_QUOTED) {
        out.append("...");
        break;
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04X", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** What a node is, for "must be X, got Y" messages. */
  static String node(YNode node) {
    return switch (node) {
      case YNode.Mapping m -> "a mapping";
      case YNode.Sequence s -> "a list";
      case YNode.Scalar s ->
          switch (s.kind()) {
            case NULL -> "empty (null)";
            case BOOLEAN -> "the boolean " + s.text();
            case INTEGER -> "the integer " + s.text();
            case FLOAT -> "the number " + s.text();
            case STRING -> "the string " + quote(s.text());
          };
    };
  }
}
