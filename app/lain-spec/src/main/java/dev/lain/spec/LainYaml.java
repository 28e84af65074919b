package dev.lain.spec;

import java.util.Objects;

/**
 * Entry point: reads a lain.yaml and returns the normalised {@link AppSpec} or every problem.
 *
 * <pre>
 * text ──YamlLoader──▶ YNode tree ──ManifestReader/ProcReader──▶ AppSpec ──▶ derived values
 *        (Malformed)                 (Invalid: all violations)     (Valid + warnings)
 * </pre>
 */
public final class LainYaml {
  private LainYaml() {}

  /** Never throws for any input text (null excluded): always returns a result. */
  public static ValidationResult validate(String text) {
    Objects.requireNonNull(text, "text");
    return switch (YamlLoader.load(text)) {
      case YamlLoader.Loaded.Failure failure -> new ValidationResult.Malformed(failure.error());
      case YamlLoader.Loaded.Document document -> ManifestReader.read(document.root());
    };
  }
}
