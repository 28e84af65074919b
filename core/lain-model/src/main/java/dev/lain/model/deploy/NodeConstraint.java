package dev.lain.model.deploy;

import java.util.Map;
import java.util.Objects;

/**
 * A placement rule against node labels, from lain.yaml {@code filters}: {@code
 * constraint:group==default} is {@code (group, equal, default)}. A node without the label matches
 * {@code !=} and not {@code ==}.
 */
public record NodeConstraint(String label, boolean equal, String value) {
  public static final NodeConstraint DEFAULT_GROUP = new NodeConstraint("group", true, "default");

  public NodeConstraint {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
    if (label.isEmpty() || value.isEmpty()) {
      throw new IllegalArgumentException("a constraint needs a label and a value");
    }
  }

  public boolean matches(Map<String, String> labels) {
    return value.equals(labels.get(label)) == equal;
  }

  /** As LAIN writes it: {@code constraint:group==default}. */
  public String text() {
    return "constraint:" + label + (equal ? "==" : "!=") + value;
  }
}
