package dev.lain.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lain.cli.CliContext;
import dev.lain.cli.lain.LainCommand;
import dev.lain.testkit.DockerDaemon;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A developer's side: an app's git checkout and the {@code lain} CLI run in-process on it, with its
 * own LAIN home and Docker. Each commit is 100 s after the previous one, so versions sort.
 */
final class AppWorkspace {
  record Run(int exitCode, String out, String err) {}

  private final Path home;
  private final Path app;
  private final DockerDaemon docker;
  private long commitTime = 1_700_000_000L;

  AppWorkspace(Path home, Path app, DockerDaemon docker) {
    this.home = home;
    this.app = app;
    this.docker = docker;
  }

  Path app() {
    return app;
  }

  Path home() {
    return home;
  }

  Run lain(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(
            Map.of("LAIN_HOME", home.toString(), "DOCKER_HOST", docker.socketUri().toString()),
            app,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    int code = LainCommand.run(context, args);
    return new Run(code, out.toString(), err.toString());
  }

  Run ok(String... args) {
    Run run = lain(args);
    assertThat(run.exitCode()).as("lain %s: %s", String.join(" ", args), run.err()).isZero();
    return run;
  }

  /** Commits {@code index.html} holding {@code page}, 100 s after the last commit. */
  void commit(String page) throws IOException, InterruptedException {
    Files.writeString(app.resolve("index.html"), page + "\n");
    git("add", "-A");
    git("commit", "-q", "-m", page);
    commitTime += 100;
  }

  void git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", app.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("GIT_AUTHOR_NAME", "dev");
    builder.environment().put("GIT_AUTHOR_EMAIL", "dev@example.com");
    builder.environment().put("GIT_COMMITTER_NAME", "dev");
    builder.environment().put("GIT_COMMITTER_EMAIL", "dev@example.com");
    builder.environment().put("GIT_COMMITTER_DATE", commitTime + " +0000");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("git %s: %s", String.join(" ", args), output).isZero();
  }
}
