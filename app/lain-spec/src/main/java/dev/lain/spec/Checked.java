package dev.lain.spec;

/** A value that passed a rule, or why it did not (the caller adds path and position). */
sealed interface Checked<T> permits Checked.Ok, Checked.Bad {
  record Ok<T>(T value) implements Checked<T> {}

  record Bad<T>(String problem) implements Checked<T> {}

  static <T> Checked<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Checked<T> bad(String problem) {
    return new Bad<>(problem);
  }
}
