package dev.lain.api.console;

import dev.lain.model.console.AuditRecord;
import dev.lain.model.console.HistoryEntry;
import dev.lain.model.console.User;
import java.util.List;

/**
 * The console API's answers: envelopes as LAIN's console gave them ({@code {"app": ..., "msg":
 * ...}}), one record per shape, read by the CLI exactly as the server writes them.
 */
public final class Replies {
  private Replies() {}

  public record AppReply(AppView app, String msg) {}

  public record AppsReply(List<AppView> apps, String msg) {}

  public record ProcReply(ProcView proc, String msg) {}

  public record ProcsReply(List<ProcView> procs, String msg) {}

  public record HistoryReply(List<HistoryEntry> history, String msg) {}

  public record RepoReply(Accounts.RepoView repo, String msg) {}

  public record ReposReply(List<Accounts.RepoView> repos, String msg) {}

  /** {@code GET /repos/{app}/versions}: meta_versions, newest first. */
  public record VersionsReply(String appname, List<String> tags) {}

  public record MaintainersReply(List<Accounts.MaintainerView> maintainers, String msg) {}

  public record MaintainerReply(Accounts.MaintainerRef maintainer, String msg) {}

  public record RoleReply(Accounts.RoleView role, String msg) {}

  public record MeReply(Accounts.Me user, String msg) {}

  public record UsersReply(List<User> users, String msg) {}

  /** A new user with its first token: the only answer that holds the secret. */
  public record UserCreatedReply(User user, String token, String tokenId, String msg) {
    @Override
    public String toString() {
      return "UserCreatedReply[user=" + user + ", tokenId=" + tokenId + "]";
    }
  }

  /** A new token: the only answer that holds its secret. */
  public record TokenReply(String token, String tokenId, String msg) {
    @Override
    public String toString() {
      return "TokenReply[tokenId=" + tokenId + "]";
    }
  }

  public record TokensReply(List<Accounts.TokenInfo> tokens, String msg) {}

  public record AuditReply(List<AuditRecord> audit, String msg) {}

  /** An answer with nothing but its message. */
  public record MessageReply(String msg) {}

  /** {@code GET /api/v1}: what this is and where its description lives. */
  public record IndexReply(Index api, String msg) {
    public record Index(String name, String version, String openapi, String auth) {}
  }
}
