package dev.lain.cli.lain;

import dev.lain.cli.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lain meta}: the app's meta_version, {@code <git committer unix time>-<commit sha>} of the
 * checkout's HEAD, as LAIN derives image tags from it.
 */
@Command(
    name = "meta",
    description = "Print the meta_version (<commit time>-<sha>) of the app in this directory.")
final class MetaCommand implements Callable<Integer> {
  private static final Pattern META_VERSION = Pattern.compile("\\d{10}-[0-9a-f]{40}");

  @ParentCommand LainCommand lain;

  @Override
  public Integer call() {
    lain.context.out().println(of(lain));
    return ExitCode.OK;
  }

  /**
   * The meta_version of the app in the working directory; warns on stderr about uncommitted
   * changes; a clear error when there is no lain.yaml, no git or no commit.
   */
  static String of(LainCommand lain) {
    PrintWriter err = lain.context.err();
    Path dir = lain.context.workingDir();
    if (!Files.isRegularFile(dir.resolve("lain.yaml"))) {
      throw new IllegalStateException(
          "no lain.yaml in " + dir + ": run lain in the app's directory");
    }
    Git head = git(dir, "log", "-1", "--pretty=format:%ct-%H");
    if (head == null) {
      throw new IllegalStateException(
          "git is not installed; the meta version comes from the app's git history");
    }
    if (head.exitCode() != 0) {
      if (head.stderr().contains("not a git repository")) {
        throw new IllegalStateException(
            dir
                + " is not in a git repository: the meta version is taken from the last commit (git init && git commit)");
      } else if (head.stderr().contains("does not have any commits")) {
        throw new IllegalStateException(
            "the repository has no commits yet: commit the app first (git commit)");
      }
      throw new IllegalStateException("git log failed: " + head.stderr().strip());
    }
    String version = head.stdout().strip();
    if (!META_VERSION.matcher(version).matches()) {
      throw new IllegalStateException("unexpected output from git log: " + version);
    }
    Git status = git(dir, "status", "--porcelain", "--untracked-files=no", ".");
    if (status != null && status.exitCode() == 0 && !status.stdout().isBlank()) {
      err.println(
          "warning: uncommitted changes are not part of "
              + version
              + " (commit them to build them)");
      err.flush();
    }
    return version;
  }

  private record Git(int exitCode, String stdout, String stderr) {}

  /** Runs git in {@code dir}; null if git cannot be started. */
  private static Git git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      return null;
    }
    try (InputStream stdout = process.getInputStream();
        InputStream stderr = process.getErrorStream()) {
      process.getOutputStream().close();
      byte[] out = stdout.readAllBytes();
      byte[] errBytes = stderr.readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Git(-1, "", "git timed out");
      }
      return new Git(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(errBytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Git(-1, "", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new Git(-1, "", "interrupted");
    }
  }
}
