package dev.lain.cli;

import dev.lain.cli.lain.LainCommand;
import dev.lain.cli.lainctl.LainctlCommand;
import dev.lain.store.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of a command: its exit code and what it printed. */
public record CliRun(int exitCode, String out, String err) {

  /**
   * The environment of a node whose cluster store is a new embedded store in {@code dir}: the store
   * file is created, as {@code ./bootstrap} leaves it (lainctl refuses a missing one).
   */
  public static Map<String, String> nodeWithEmbeddedStore(Path dir) {
    String url = "embedded:" + dir.resolve("store.db");
    Stores.open(url).close();
    return Map.of("LAIN_STORE", url);
  }

  public static CliRun lainctl(Map<String, String> env, String... args) {
    return run(true, env, Path.of("."), args);
  }

  public static CliRun lain(Path workingDir, String... args) {
    return run(false, Map.of(), workingDir, args);
  }

  public static CliRun lain(Map<String, String> env, Path workingDir, String... args) {
    return run(false, env, workingDir, args);
  }

  private static CliRun run(boolean lainctl, Map<String, String> env, Path dir, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(
            env, dir.toAbsolutePath(), new PrintWriter(out, true), new PrintWriter(err, true));
    int code = lainctl ? LainctlCommand.run(context, args) : LainCommand.run(context, args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
