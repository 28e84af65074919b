package dev.lain.records.config;

import java.util.List;

/** The outcome of checking a raw configuration value. */
public sealed interface ConfigValue permits ConfigValue.Accepted, ConfigValue.Rejected {

  /** The value in the canonical form that is stored. */
  record Accepted(String canonical) implements ConfigValue {}

  /** Every reason the value was refused. */
  record Rejected(List<String> problems) implements ConfigValue {
    public Rejected {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("a rejection needs a reason");
      }
    }
  }
}
