package dev.lain.spec;

import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects violations and warnings while the manifest is read; nothing stops at the first. */
final class Diagnostics {
  private static final Comparator<Diagnostic> DOCUMENT_ORDER =
      Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column);

  private final List<Diagnostic> violations = new ArrayList<>();
  private final List<Diagnostic> warnings = new ArrayList<>();

  void violation(FieldPath path, Position at, String message) {
    violations.add(new Diagnostic(path.text(), message, at.line(), at.column()));
  }

  void violation(FieldPath path, YNode at, String message) {
    violation(path, at.at(), message);
  }

  void warning(FieldPath path, Position at, String message) {
    warnings.add(new Diagnostic(path.text(), message, at.line(), at.column()));
  }

  void warning(FieldPath path, YNode at, String message) {
    warning(path, at.at(), message);
  }

  boolean hasViolations() {
    return !violations.isEmpty();
  }

  int violationCount() {
    return violations.size();
  }

  /** In document order; the sort is stable, so problems at one node keep the order found. */
  List<Diagnostic> violations() {
    return violations.stream().sorted(DOCUMENT_ORDER).toList();
  }

  List<Diagnostic> warnings() {
    return warnings.stream().sorted(DOCUMENT_ORDER).toList();
  }
}
