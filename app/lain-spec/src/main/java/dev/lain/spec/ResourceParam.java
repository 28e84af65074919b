package dev.lain.spec;

import java.util.Objects;

/** A template parameter given to a resource app in {@code use_resources}. */
public sealed interface ResourceParam {
  record Text(String value) implements ResourceParam {
    public Text {
      Objects.requireNonNull(value, "value");
    }
  }

  record Number(long value) implements ResourceParam {}
}
