package dev.lain.spec;

import dev.lain.spec.YNode.Position;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed reads of YAML values. Each read either returns the value or records a violation saying what
 * was expected and what was found; callers then fall back to the default, so reading goes on and
 * every problem is reported.
 */
final class Read {
  private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern OCTAL = Pattern.compile("0o[0-7]+");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");

  /** YAML 1.1 booleans that YAML 1.2 (and this reader) takes as strings. */
  private static final Set<String> YAML11_BOOLEANS = Set.of("yes", "no", "y", "n", "on", "off");

  private Read() {}

  /** Any scalar but null, as written: commands and names are text even when they look numeric. */
  static Optional<String> text(YNode node, FieldPath path, Diagnostics d, String expected) {
    if (node instanceof YNode.Scalar s && !s.isNull()) {
      return Optional.of(s.text());
    }
    d.violation(path, node, "must be " + expected + ", got " + Describe.node(node));
    return Optional.empty();
  }

  static Optional<Boolean> bool(YNode node, FieldPath path, Diagnostics d) {
    if (node instanceof YNode.Scalar s && s.kind() == YNode.Kind.BOOLEAN) {
      return Optional.of(s.text().toLowerCase(Locale.ROOT).equals("true"));
    }
    String found = Describe.node(node);
    if (node instanceof YNode.Scalar s
        && s.kind() == YNode.Kind.STRING
        && YAML11_BOOLEANS.contains(s.text().toLowerCase(Locale.ROOT))) {
      found += ", which YAML 1.2 reads as a string, not a boolean";
    }
    d.violation(path, node, "must be true or false, got " + found);
    return Optional.empty();
  }

  /** An integer in YAML 1.2 core form (decimal, {@code 0o17}, {@code 0x1f}). */
  static Optional<Long> integer(YNode node, FieldPath path, Diagnostics d) {
    if (node instanceof YNode.Scalar s && s.kind() == YNode.Kind.INTEGER) {
      Optional<Long> value = parseInteger(s.text());
      if (value.isEmpty()) {
        d.violation(path, node, Describe.quote(s.text()) + " is too large for an integer");
      }
      return value;
    }
    String hint =
        node instanceof YNode.Scalar s
                && s.kind() == YNode.Kind.STRING
                && parseInteger(s.text()).isPresent()
            ? " (write it without quotes)"
            : "";
    d.violation(path, node, "must be an integer, got " + Describe.node(node) + hint);
    return Optional.empty();
  }

  /** An integer within {@code [min, max]}; {@code what} describes the range in the message. */
  static Optional<Integer> integerIn(
      YNode node, FieldPath path, Diagnostics d, long min, long max, String what) {
    Optional<Long> value = integer(node, path, d);
    if (value.isPresent() && (value.get() < min || value.get() > max)) {
      d.violation(path, node, value.get() + " is out of range: must be " + what);
      return Optional.empty();
    }
    return value.map(Long::intValue);
  }

  /** An integer that passes {@code rule} (which says why a value does not, naming no field). */
  static Optional<Integer> integerWhere(
      YNode node, FieldPath path, Diagnostics d, Function<Long, Optional<String>> rule) {
    Optional<Long> value = integer(node, path, d);
    Optional<String> problem = value.flatMap(rule);
    problem.ifPresent(p -> d.violation(path, node, p));
    return problem.isPresent() ? Optional.empty() : value.map(Long::intValue);
  }

  static Optional<Long> parseInteger(String text) {
    try {
      BigInteger value;
      if (DECIMAL.matcher(text).matches()) {
        value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
      } else if (OCTAL.matcher(text).matches()) {
        value = new BigInteger(text.substring(2), 8);
      } else if (HEX.matcher(text).matches()) {
        value = new BigInteger(text.substring(2), 16);
      } else {
        return Optional.empty();
      }
      return value.bitLength() < 63 ? Optional.of(value.longValue()) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The items of a list; {@code items} names what the list holds, for the message. */
  static Optional<List<YNode>> list(YNode node, FieldPath path, Diagnostics d, String items) {
    if (node instanceof YNode.Sequence s) {
      return Optional.of(s.items());
    }
    d.violation(path, node, "must be a list of " + items + ", got " + Describe.node(node));
    return Optional.empty();
  }

  /** A list of scalar texts; bad items are reported one by one and left out. */
  static List<String> texts(YNode node, FieldPath path, Diagnostics d, String items, String item) {
    List<String> result = new ArrayList<>();
    list(node, path, d, items)
        .ifPresent(
            list -> {
              for (int i = 0; i < list.size(); i++) {
                text(list.get(i), path.index(i), d, item).ifPresent(result::add);
              }
            });
    return result;
  }

  /** A mapping; an explicit null reads as an empty mapping. */
  static Optional<MapReader> mapping(
      YNode node, FieldPath path, Position owner, Diagnostics d, String expected) {
    if (node instanceof YNode.Mapping m) {
      return Optional.of(new MapReader(m, path, owner, d));
    }
    if (node instanceof YNode.Scalar s && s.isNull()) {
      return Optional.of(MapReader.empty(path, owner, d));
    }
    d.violation(path, node, "must be " + expected + ", got " + Describe.node(node));
    return Optional.empty();
  }

  /** Called for each scalar item of a list, with the item's node and path. */
  interface TextVisitor {
    void visit(String text, YNode at, FieldPath path);
  }

  /** Visits the text of each item of a list; non-lists and non-scalar items are reported. */
  static void eachText(
      YNode node, FieldPath path, Diagnostics d, String items, String item, TextVisitor visitor) {
    list(node, path, d, items)
        .ifPresent(
            list -> {
              for (int i = 0; i < list.size(); i++) {
                YNode element = list.get(i);
                FieldPath elementPath = path.index(i);
                text(element, elementPath, d, item)
                    .ifPresent(text -> visitor.visit(text, element, elementPath));
              }
            });
  }

  /** The checked value, or a violation quoting {@code raw} followed by the problem. */
  static <T> Optional<T> checked(
      Checked<T> result, String raw, YNode at, FieldPath path, Diagnostics d) {
    return switch (result) {
      case Checked.Ok<T> ok -> Optional.of(ok.value());
      case Checked.Bad<T> bad -> {
        d.violation(path, at, Describe.quote(raw) + " " + bad.problem());
        yield Optional.empty();
      }
    };
  }
}
