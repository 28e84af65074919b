package dev.lain.cli.lain;

import dev.lain.cli.console.ConsoleClient;
import dev.lain.spec.AppSpec;
import dev.lain.spec.LainYaml;
import dev.lain.spec.ValidationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a command that talks to a cluster needs: the phase's settings and its console. */
record Cluster(UserConfig.Phase phase, ConsoleClient console) {

  /** The phase named on the command line; a clear error if it is not configured. */
  static Cluster of(LainCommand lain, String phaseName) {
    UserConfig config = config(lain);
    UserConfig.Phase phase =
        config
            .phase(phaseName)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no phase "
                            + phaseName
                            + " is configured"
                            + (config.phases().isEmpty()
                                ? ""
                                : " (known: " + String.join(", ", config.phases().keySet()) + ")")
                            + ": run lain config save "
                            + phaseName
                            + " domain DOMAIN (and console URL if it is not console.DOMAIN)"));
    if (phase.console() == null) {
      throw new IllegalStateException(
          "phase "
              + phaseName
              + " has neither a domain nor a console: run lain config save "
              + phaseName
              + " console URL");
    }
    return new Cluster(
        phase,
        new ConsoleClient(
            phase.console(),
            Optional.ofNullable(phase.token()).filter(t -> !t.isEmpty()),
            phaseName));
  }

  static UserConfig config(LainCommand lain) {
    Path dir = UserConfig.directory(lain.context.env());
    try {
      return UserConfig.load(dir);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the lain settings in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The app of the working directory, from its lain.yaml. */
  static AppSpec app(LainCommand lain) {
    Path file = lain.context.workingDir().resolve("lain.yaml");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(
          "no lain.yaml in " + lain.context.workingDir() + ": run lain in the app's directory");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return switch (LainYaml.validate(text)) {
      case ValidationResult.Valid valid -> valid.spec();
      case ValidationResult.Invalid invalid ->
          throw new IllegalStateException(
              "lain.yaml is invalid (run lain validate for every problem):\n"
                  + invalid.violations().stream()
                      .limit(5)
                      .map(d -> "  " + d.format("lain.yaml"))
                      .collect(Collectors.joining("\n")));
      case ValidationResult.Malformed malformed ->
          throw new IllegalStateException(malformed.error().format("lain.yaml"));
    };
  }
}
