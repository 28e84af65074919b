package dev.lain.spec;

import java.util.List;

/** {@code test}: commands {@code lain test} runs on the build image; non-zero exit fails. */
public record TestSpec(List<String> script) {
  public TestSpec {
    script = List.copyOf(script);
  }
}
