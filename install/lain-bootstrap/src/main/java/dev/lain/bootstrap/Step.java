package dev.lain.bootstrap;

import java.util.Objects;

/**
 * One step of the install: a stable id ({@code docker-storage}), one line saying what it does, what
 * it changes, and whether an earlier run already did it.
 */
public record Step(String id, String description, Action action, Changes changes, Status status) {
  public Step {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(status, "status");
    if (!id.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("step ids are lower-case words with '-': " + id);
    }
  }

  /** Whether the step is to be done, or was done by an earlier run. */
  public sealed interface Status {
    record ToDo() implements Status {}

    /** Skipped: {@code reason} says what was found. */
    record AlreadyDone(String reason) implements Status {
      public AlreadyDone {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  public static final Status TO_DO = new Status.ToDo();

  public static Status done(String reason) {
    return new Status.AlreadyDone(reason);
  }

  public boolean toDo() {
    return status instanceof Status.ToDo;
  }
}
