package dev.lain.cli.lain;

import dev.lain.cli.ExitCode;
import dev.lain.spec.AppSpec;
import dev.lain.spec.Diagnostic;
import dev.lain.spec.LainYaml;
import dev.lain.spec.ValidationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lain validate}: judges a lain.yaml and lists every problem. */
@Command(
    name = "validate",
    description =
        "Check lain.yaml: prints a summary if it is valid, else every problem with its line.")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The manifest to check (default: lain.yaml in the current directory).")
  String file = "lain.yaml";

  @Override
  public Integer call() {
    PrintWriter out = lain.context.out();
    PrintWriter err = lain.context.err();
    Path path = lain.context.workingDir().resolve(file);
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      err.println(
          "error: "
              + file
              + " not found"
              + (file.equals("lain.yaml")
                  ? " (run lain validate in the app's directory, or pass -f FILE)"
                  : ""));
      return ExitCode.FAILED;
    } catch (CharacterCodingException e) {
      err.println("error: " + file + " is not UTF-8 text");
      return ExitCode.FAILED;
    } catch (IOException e) {
      err.println("error: cannot read " + file + ": " + e.getMessage());
      return ExitCode.FAILED;
    }
    return switch (LainYaml.validate(text)) {
      case ValidationResult.Valid valid -> {
        for (Diagnostic warning : valid.warnings()) {
          err.println("warning: " + warning.format(file));
        }
        out.println(summary(file, valid.spec()));
        yield ExitCode.OK;
      }
      case ValidationResult.Invalid invalid -> {
        for (Diagnostic violation : invalid.violations()) {
          err.println(violation.format(file));
        }
        err.println(
            file
                + ": invalid, "
                + invalid.violations().size()
                + (invalid.violations().size() == 1 ? " problem" : " problems"));
        yield ExitCode.FAILED;
      }
      case ValidationResult.Malformed malformed -> {
        err.println("error: " + malformed.error().format(file));
        yield ExitCode.FAILED;
      }
    };
  }

  private static String summary(String file, AppSpec spec) {
    List<String> groups = spec.procs().stream().map(spec::podGroupName).toList();
    return file
        + ": valid: app "
        + spec.appname()
        + ", "
        + groups.size()
        + (groups.size() == 1 ? " proc" : " procs")
        + (groups.isEmpty() ? "" : " (" + String.join(", ", groups) + ")");
  }
}
