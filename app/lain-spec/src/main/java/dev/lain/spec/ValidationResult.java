package dev.lain.spec;

import java.util.List;
import java.util.Objects;

/** What {@link LainYaml#validate} found. */
public sealed interface ValidationResult
    permits ValidationResult.Valid, ValidationResult.Invalid, ValidationResult.Malformed {

  /** Every diagnostic to show the user: warnings, violations, or the YAML error. */
  List<Diagnostic> diagnostics();

  /** The manifest is usable; warnings say what LAIN ignores or adjusts. */
  record Valid(AppSpec spec, List<Diagnostic> warnings) implements ValidationResult {
    public Valid {
      Objects.requireNonNull(spec, "spec");
      warnings = List.copyOf(warnings);
    }

    @Override
    public List<Diagnostic> diagnostics() {
      return warnings;
    }
  }

  /** Readable YAML that breaks lain.yaml rules: every violation, in document order. */
  record Invalid(List<Diagnostic> violations) implements ValidationResult {
    public Invalid {
      violations = List.copyOf(violations);
      if (violations.isEmpty()) {
        throw new IllegalArgumentException("an invalid manifest has at least one violation");
      }
    }

    @Override
    public List<Diagnostic> diagnostics() {
      return violations;
    }
  }

  /** Not readable as one YAML mapping: the reason, with its line and column. */
  record Malformed(Diagnostic error) implements ValidationResult {
    public Malformed {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public List<Diagnostic> diagnostics() {
      return List.of(error);
    }
  }
}
