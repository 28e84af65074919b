package dev.lain.cli;

import picocli.CommandLine.Option;

/** {@code -o/--output FORMAT}, mixed into every command that prints data. */
public final class OutputOption {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (the default; alias table) or json")
  OutputFormat format = OutputFormat.text;

  public boolean isJson() {
    return format.isJson();
  }
}
