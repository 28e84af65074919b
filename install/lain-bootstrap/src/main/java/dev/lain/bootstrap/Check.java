package dev.lain.bootstrap;

import java.util.Objects;

/** One preflight check: what was checked, the verdict and why. */
public record Check(String name, Status status, String detail) {
  public enum Status {
    OK("ok"),
    WARNING("warning"),
    FAILED("FAILED");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  public static Check ok(String name, String detail) {
    return new Check(name, Status.OK, detail);
  }

  public static Check warning(String name, String detail) {
    return new Check(name, Status.WARNING, detail);
  }

  public static Check failed(String name, String detail) {
    return new Check(name, Status.FAILED, detail);
  }

  public boolean failed() {
    return status == Status.FAILED;
  }
}
