package dev.lain.api.console;

import java.util.Optional;

/** The bodies clients send to the console API. */
public final class Requests {
  private Requests() {}

  /** {@code POST /repos}. */
  public record Reposit(String appname) {}

  /** {@code POST /apps}: the first deploy, of {@code metaVersion} or the newest. */
  public record Deploy(String appname, Optional<String> metaVersion) {}

  /** {@code PUT /apps/{app}} and {@code POST /apps/{app}/rollback}. */
  public record ChangeVersion(Optional<String> metaVersion) {}

  /** {@code PATCH /apps/{app}/procs/{proc}}: any of the three, applied as one change. */
  public record Scale(
      Optional<Integer> numInstances, Optional<Integer> cpu, Optional<String> memory) {}

  /** {@code PATCH /apps/{app}/procs/{proc}}: start, stop or restart, one instance or all. */
  public record Operate(String operation, Optional<Integer> instance) {}

  /** {@code POST /users}. */
  public record CreateUser(String name, boolean admin) {}

  /** {@code POST /repos/{app}/maintainers}. */
  public record PutMaintainer(String username, String role) {}
}
