package dev.lain.cli;

/**
 * {@code -o} of every command that prints data: {@code text} (alias {@code table}, lainctl's name)
 * or {@code json}; picocli refuses any other value and lists these.
 */
public enum OutputFormat {
  text,
  table,
  json;

  public boolean isJson() {
    return this == json;
  }
}
