package dev.lain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LainMetaTest {
  @TempDir Path app;

  @Test
  void metaIsTheCommitterTimestampAndShaOfHead() throws Exception {
    Files.writeString(app.resolve("lain.yaml"), "appname: hello\n");
    git("init", "-q");
    git("add", "lain.yaml");
    git("commit", "-q", "-m", "first");
    String sha = git("rev-parse", "HEAD").strip();

    CliRun run = CliRun.lain(app, "meta");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("1700000000-" + sha + "\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void uncommittedChangesAreWarnedAbout() throws Exception {
    Files.writeString(app.resolve("lain.yaml"), "appname: hello\n");
    git("init", "-q");
    git("add", "lain.yaml");
    git("commit", "-q", "-m", "first");
    Files.writeString(app.resolve("lain.yaml"), "appname: changed\n");

    CliRun run = CliRun.lain(app, "meta");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains("uncommitted changes are not part of");
  }

  @Test
  void outsideAGitRepositoryItSaysSo() throws Exception {
    Files.writeString(app.resolve("lain.yaml"), "appname: hello\n");
    CliRun run = CliRun.lain(app, "meta");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("is not in a git repository");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aRepositoryWithoutCommitsIsAClearError() throws Exception {
    Files.writeString(app.resolve("lain.yaml"), "appname: hello\n");
    git("init", "-q");
    CliRun run = CliRun.lain(app, "meta");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no commits yet");
  }

  @Test
  void withoutLainYamlItAsksForTheAppDirectory() {
    CliRun run = CliRun.lain(app, "meta");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no lain.yaml in");
  }

  private String git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", app.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.com");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.com");
    env.put("GIT_AUTHOR_DATE", "1600000000 +0000");
    env.put("GIT_COMMITTER_DATE", "1700000000 +0000");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("HOME", app.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
