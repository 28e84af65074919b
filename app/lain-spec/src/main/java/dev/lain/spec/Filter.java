package dev.lain.spec;

import java.util.Locale;
import java.util.Objects;

/**
 * A swarm-style scheduling filter: {@code constraint:group==default}, {@code
 * affinity:proctype!=~router}.
 *
 * @param kind {@code affinity} or {@code constraint}
 * @param operator {@code ==} or {@code !=}
 * @param value may start with {@code ~} (a soft rule)
 */
public record Filter(Kind kind, String key, String operator, String value) {
  public enum Kind {
    AFFINITY,
    CONSTRAINT
  }

  /** Added to procs that say nothing about the node group. */
  public static final Filter DEFAULT_GROUP = new Filter(Kind.CONSTRAINT, "group", "==", "default");

  public Filter {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(value, "value");
    if (!operator.equals("==") && !operator.equals("!=")) {
      throw new IllegalArgumentException("filter operator must be == or !=: " + operator);
    }
    if (key.isEmpty() || value.isEmpty()) {
      throw new IllegalArgumentException("filter key and value must not be empty");
    }
  }

  /** As written, and as passed to containers: {@code constraint:group==default}. */
  public String text() {
    return kind.name().toLowerCase(Locale.ROOT) + ":" + key + operator + value;
  }

  /** A rule about the node group: its presence suppresses the default group filter. */
  public boolean isGroupConstraint() {
    return kind == Kind.CONSTRAINT && key.equals("group");
  }
}
