package dev.lain.cli.lainctl;

import dev.lain.cli.ExitCode;
import dev.lain.cli.Table;
import dev.lain.model.console.User;
import dev.lain.records.console.Users;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lainctl user add|list|remove|token}: the console's users and API tokens, written straight
 * into the store — how the first cluster admin comes to exist, before anyone can call the API.
 */
@Command(
    name = "user",
    description = "Manage the console's users and their API tokens (directly in the store).",
    subcommands = {
      UserCommand.Add.class,
      UserCommand.ListUsers.class,
      UserCommand.Remove.class,
      UserCommand.Token.class
    })
final class UserCommand extends LainctlGroup {

  int withUsers(Function<Users, Integer> action) {
    return lainctl.withStore(store -> action.apply(new Users(store, InstantSource.system())));
  }

  @Command(name = "add", description = "Create a user and print its first API token (shown once).")
  static final class Add implements Callable<Integer> {
    @ParentCommand UserCommand user;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--admin", description = "A cluster admin: may do everything.")
    boolean admin;

    @Option(names = "--token-only", description = "Print only the token (for scripts).")
    boolean tokenOnly;

    @Override
    public Integer call() {
      return user.withUsers(
          users -> {
            Users.Created created = users.create(name, admin);
            PrintWriter out = user.lainctl.context.out();
            if (tokenOnly) {
              out.println(created.token().token());
            } else {
              out.println(
                  "created user " + name + (admin ? " (cluster admin)" : "") + "; its API token:");
              out.println(created.token().token());
              out.println("(shown once: give it to " + name + " for lain login PHASE)");
            }
            return ExitCode.OK;
          });
    }
  }

  @Command(name = "list", description = "Every user, whether a cluster admin, and its tokens.")
  static final class ListUsers implements Callable<Integer> {
    @ParentCommand UserCommand user;

    @Override
    public Integer call() {
      return user.withUsers(
          users -> {
            Table table = new Table("NAME", "ADMIN", "CREATED", "TOKENS");
            for (User u : users.list()) {
              table.row(
                  u.name(),
                  u.admin() ? "yes" : "no",
                  u.created().toString(),
                  String.valueOf(users.tokens(u.name()).size()));
            }
            table.print(user.lainctl.context.out());
            return ExitCode.OK;
          });
    }
  }

  @Command(name = "remove", description = "Remove a user; its tokens stop working at once.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand UserCommand user;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return user.withUsers(
          users -> {
            users.delete(name);
            user.lainctl.context.out().println("removed user " + name);
            return ExitCode.OK;
          });
    }
  }

  @Command(name = "token", description = "Issue another API token for a user (shown once).")
  static final class Token implements Callable<Integer> {
    @ParentCommand UserCommand user;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      return user.withUsers(
          users -> {
            user.lainctl.context.out().println(users.issueToken(name).token());
            return ExitCode.OK;
          });
    }
  }
}
