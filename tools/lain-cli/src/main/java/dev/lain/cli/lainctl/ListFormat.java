package dev.lain.cli.lainctl;

/** {@code -o} of lainctl's listings; picocli refuses any other value with the choices. */
enum ListFormat {
  table,
  json
}
