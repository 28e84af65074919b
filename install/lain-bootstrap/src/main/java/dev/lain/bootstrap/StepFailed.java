package dev.lain.bootstrap;

/** A step could not be carried out; the message says why, for the operator. */
final class StepFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StepFailed(String message) {
    super(message);
  }
}
