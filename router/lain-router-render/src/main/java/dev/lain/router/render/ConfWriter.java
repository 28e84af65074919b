package dev.lain.router.render;

/** Lines of an nginx config with block indentation, four spaces a level. */
final class ConfWriter {
  private final StringBuilder text = new StringBuilder();
  private int depth;

  ConfWriter line(String line) {
    text.append("    ".repeat(depth)).append(line).append('\n');
    return this;
  }

  ConfWriter blank() {
    text.append('\n');
    return this;
  }

  ConfWriter open(String header) {
    line(header + " {");
    depth++;
    return this;
  }

  ConfWriter close() {
    if (depth == 0) {
      throw new IllegalStateException("no block to close");
    }
    depth--;
    return line("}");
  }

  String text() {
    if (depth != 0) {
      throw new IllegalStateException(depth + " block(s) left open");
    }
    return text.toString();
  }
}
