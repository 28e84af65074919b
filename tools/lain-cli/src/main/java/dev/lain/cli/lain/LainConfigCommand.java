package dev.lain.cli.lain;

import dev.lain.cli.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lain config show|save|save-global}: the developer's phases (clusters) and settings. */
@Command(
    name = "config",
    description = "Show or change your phases (clusters) in ~/.lain.",
    subcommands = {
      LainConfigCommand.Show.class,
      LainConfigCommand.Save.class,
      LainConfigCommand.SaveGlobal.class
    })
final class LainConfigCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Override
  public Integer call() {
    return new Show().print(lain);
  }

  @Command(name = "show", description = "Print every phase and global setting (tokens hidden).")
  static final class Show implements Callable<Integer> {
    @ParentCommand LainConfigCommand config;

    @Override
    public Integer call() {
      return print(config.lain);
    }

    int print(LainCommand lain) {
      UserConfig user = Cluster.config(lain);
      PrintWriter out = lain.context.out();
      out.println("# " + UserConfig.directory(lain.context.env()));
      if (user.phases().isEmpty()) {
        out.println("(no phase yet: lain config save PHASE domain DOMAIN)");
      }
      for (String name : user.phases().keySet()) {
        UserConfig.Phase phase = user.phase(name).orElseThrow();
        out.println(name + ":");
        Map<String, String> shown = new TreeMap<>();
        shown.put("domain", phase.domain());
        shown.put("console", phase.console());
        shown.put("registry", phase.registry());
        shown.put("token", phase.loggedIn() ? "(hidden; logged in)" : "(not logged in)");
        shown.forEach((k, v) -> out.println("  " + k + ": " + (v == null ? "" : v)));
      }
      user.global().forEach((k, v) -> out.println("global " + k + ": " + v));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "save",
      description = "Set a phase's setting: domain, console (URL) or registry (host[:port]).")
  static final class Save implements Callable<Integer> {
    @ParentCommand LainConfigCommand config;

    @Parameters(index = "0", paramLabel = "PHASE")
    String phase;

    @Parameters(index = "1", paramLabel = "KEY", description = "domain, console or registry")
    String key;

    @Parameters(index = "2", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = config.lain.context.err();
      if (!phase.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}")) {
        err.println("error: bad phase name " + phase + ": use letters, digits, '.', '_' and '-'");
        return ExitCode.USAGE;
      }
      String problem = problem(key, value);
      if (problem != null) {
        err.println("error: " + problem);
        return ExitCode.USAGE;
      }
      Path dir = UserConfig.directory(config.lain.context.env());
      Cluster.config(config.lain).withPhaseSetting(phase, key, value).save(dir);
      config.lain.context.out().println(phase + " " + key + " = " + value);
      return ExitCode.OK;
    }

    static String problem(String key, String value) {
      return switch (key) {
        case "domain" ->
            value.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
                ? null
                : "bad domain " + value + ": lower-case host name labels separated by dots";
        case "console" ->
            value.matches("https?://[^\\s/]+(/[^\\s]*)?")
                ? null
                : "bad console URL " + value + ": http://HOST[:PORT] or https://...";
        case "registry" ->
            value.matches("[a-zA-Z0-9.-]+(:[0-9]{1,5})?")
                ? null
                : "bad registry " + value + ": HOST or HOST:PORT, as in image names";
        case "token" -> "the token is saved by lain login, not by hand";
        default -> "unknown setting " + key + ": one of domain, console, registry";
      };
    }
  }

  @Command(name = "save-global", description = "Set a global setting: private_docker_registry.")
  static final class SaveGlobal implements Callable<Integer> {
    @ParentCommand LainConfigCommand config;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() throws IOException {
      if (!UserConfig.GLOBAL_KEYS.contains(key)) {
        config
            .lain
            .context
            .err()
            .println(
                "error: unknown global setting "
                    + key
                    + ": one of "
                    + String.join(", ", UserConfig.GLOBAL_KEYS));
        return ExitCode.USAGE;
      }
      String problem = Save.problem("registry", value);
      if (problem != null) {
        config.lain.context.err().println("error: " + problem);
        return ExitCode.USAGE;
      }
      Path dir = UserConfig.directory(config.lain.context.env());
      Cluster.config(config.lain).withGlobalSetting(key, value).save(dir);
      config.lain.context.out().println(key + " = " + value);
      return ExitCode.OK;
    }
  }
}
