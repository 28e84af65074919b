package dev.lain.scheduler;

import java.util.List;

/** What one reconciliation pass decided, in the order to apply it. */
public record Plan(List<Action> actions) {
  public Plan {
    actions = List.copyOf(actions);
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }

  /** The actions of one kind. */
  public <T extends Action> List<T> of(Class<T> kind) {
    return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
