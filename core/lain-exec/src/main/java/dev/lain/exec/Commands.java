package dev.lain.exec;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Renders argument vectors the way an operator would type them, for plans and messages. */
public final class Commands {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=%@+,-]+");

  private Commands() {}

  public static String render(List<String> argv) {
    return argv.stream().map(Commands::quote).collect(Collectors.joining(" "));
  }

  public static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** The last lines of a command's output, enough to say why it failed. */
  public static String tail(String output) {
    String stripped = output.strip();
    List<String> lines = stripped.lines().toList();
    return lines.size() <= 5
        ? stripped
        : String.join("\n", lines.subList(lines.size() - 5, lines.size()));
  }
}
