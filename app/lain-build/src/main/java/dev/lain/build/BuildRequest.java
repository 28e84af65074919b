package dev.lain.build;

import dev.lain.spec.AppSpec;
import dev.lain.spec.LainYaml;
import dev.lain.spec.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One app version to build.
 *
 * @param appDir the app's checkout: its files are the build context (without {@code .git}, {@code
 *     .lain-cache}, {@code .vagrant})
 * @param lainYaml the exact text the meta image carries as {@code /lain.yaml}
 * @param spec {@code lainYaml} validated
 */
public record BuildRequest(Path appDir, String lainYaml, AppSpec spec, MetaVersion version) {
  public BuildRequest {
    Objects.requireNonNull(appDir, "appDir");
    Objects.requireNonNull(lainYaml, "lainYaml");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(version, "version");
  }

  /**
   * Reads and validates {@code <appDir>/lain.yaml}.
   *
   * @throws BuildException {@link BuildException.Code#INVALID_REQUEST} with every problem if it is
   *     missing or not valid
   */
  public static BuildRequest read(Path appDir, MetaVersion version) {
    Path file = appDir.resolve("lain.yaml");
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new BuildException(
          BuildException.Code.INVALID_REQUEST, "cannot read " + file + ": " + e.getMessage(), e);
    }
    return switch (LainYaml.validate(text)) {
      case ValidationResult.Valid valid -> new BuildRequest(appDir, text, valid.spec(), version);
      case ValidationResult result ->
          throw new BuildException(
              BuildException.Code.INVALID_REQUEST,
              "lain.yaml is not valid:\n"
                  + result.diagnostics().stream()
                      .map(d -> "  " + d.format("lain.yaml"))
                      .collect(Collectors.joining("\n")));
    };
  }

  public String app() {
    return spec.appname();
  }
}
