package dev.lain.api.console;

import dev.lain.model.console.Role;
import java.time.Instant;
import java.util.List;

/** What the console API shows of users, tokens, repos and maintainers. */
public final class Accounts {
  private Accounts() {}

  /** The caller and the apps it maintains ({@code GET /auth/me}). */
  public record Me(String name, boolean admin, List<AppRole> apps) {
    public Me {
      apps = List.copyOf(apps);
    }
  }

  /** A user's role in one app. */
  public record AppRole(String appname, Role role) {}

  /** A token as listed: never its secret. */
  public record TokenInfo(String id, String user, Instant created, Instant lastUsed) {}

  /** A registered app. */
  public record RepoView(String appname, Instant created, String createdBy) {}

  /** A maintainer of an app. */
  public record MaintainerView(String username, Role role, Instant added, String addedBy) {}

  /** A maintainer as a change answers it. */
  public record MaintainerRef(String username, Role role) {}

  /** The caller's role in an app ({@code GET /repos/{app}/roles}). */
  public record RoleView(String appname, String username, Role role, boolean clusterAdmin) {}
}
