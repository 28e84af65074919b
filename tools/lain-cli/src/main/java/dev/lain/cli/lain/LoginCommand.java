package dev.lain.cli.lain;

import dev.lain.api.console.Accounts;
import dev.lain.cli.ExitCode;
import dev.lain.cli.console.ConsoleClient;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lain login PHASE}: checks an API token with the phase's console and keeps it in
 * ~/.lain/lain.conf.yaml (owner-only). Tokens come from an admin ({@code lainctl user add} or the
 * console's /users API); LAIN's SSO password flow is not part of this cluster.
 */
@Command(name = "login", description = "Log in to a phase with an API token.")
final class LoginCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Parameters(index = "0", paramLabel = "PHASE")
  String phase;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the token from FILE ('-' for standard input) instead of a prompt.")
  String tokenFile;

  @Override
  public Integer call() throws IOException {
    Cluster cluster = Cluster.of(lain, phase);
    String token = readToken();
    if (token == null || token.isBlank()) {
      lain.context
          .err()
          .println(
              "error: no token given: pass --token-file FILE, or run lain login in a terminal");
      return ExitCode.USAGE;
    }
    ConsoleClient console = new ConsoleClient(cluster.phase().console(), Optional.of(token), phase);
    Accounts.Me me = console.me();
    Path dir = UserConfig.directory(lain.context.env());
    Cluster.config(lain).withPhaseSetting(phase, "token", token).save(dir);
    lain.context
        .out()
        .println(
            "logged in to " + phase + " as " + me.name() + (me.admin() ? " (cluster admin)" : ""));
    return ExitCode.OK;
  }

  private String readToken() throws IOException {
    if (tokenFile != null) {
      byte[] bytes =
          tokenFile.equals("-")
              ? System.in.readNBytes(4096)
              : Files.readAllBytes(lain.context.workingDir().resolve(tokenFile));
      return new String(bytes, StandardCharsets.UTF_8).strip();
    }
    Console terminal = System.console();
    if (terminal == null) {
      return null;
    }
    char[] typed = terminal.readPassword("API token for %s: ", phase);
    return typed == null ? null : new String(typed).strip();
  }

  @Command(name = "logout", description = "Forget the token of a phase.")
  static final class Logout implements Callable<Integer> {
    @ParentCommand LainCommand lain;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Override
    public Integer call() throws IOException {
      UserConfig config = Cluster.config(lain);
      if (config.phase(phase).isEmpty()) {
        lain.context.err().println("error: no phase " + phase + " is configured");
        return ExitCode.FAILED;
      }
      config.withPhaseSetting(phase, "token", null).save(UserConfig.directory(lain.context.env()));
      lain.context.out().println("logged out of " + phase);
      return ExitCode.OK;
    }
  }
}
