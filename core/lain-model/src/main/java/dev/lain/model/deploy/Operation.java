package dev.lain.model.deploy;

import java.util.Locale;
import java.util.Optional;

/** What an operator asks of running instances (LAIN's {@code optype}). */
public enum Operation {
  START,
  STOP,
  RESTART;

  /** {@code start}, {@code stop} or {@code restart}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Operation> named(String text) {
    for (Operation op : values()) {
      if (op.wireName().equals(text)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
