package dev.lain.spec;

import dev.lain.spec.YNode.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.nodes.AnchorNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns text into a {@link YNode} tree, or says why it cannot: the "is it YAML at all" layer.
 *
 * <p>Every limit here exists because the input is untrusted text: a lain.yaml is a few kilobytes,
 * so anything far larger, deeper or wider is refused before it can exhaust the stack or memory.
 */
final class YamlLoader {
  /** A real lain.yaml is a few kilobytes; a megabyte leaves room for generous comments. */
  static final int MAX_CHARACTERS = 1 << 20;

  /**
   * The composer recurses once per level and has no limit of its own, so depth is checked on the
   * event stream first. A lain.yaml needs about six levels.
   */
  static final int MAX_DEPTH = 64;

  /** Bounds the tree after alias expansion, which is what defeats "billion laughs" documents. */
  static final int MAX_NODES = 100_000;

  private static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

  /** The outcome of loading: a mapping to validate, or the reason the text is not one. */
  sealed interface Loaded {
    record Document(YNode.Mapping root) implements Loaded {}

    record Failure(Diagnostic error) implements Loaded {}
  }

  private YamlLoader() {}

  static Loaded load(String text) {
    if (text.length() > MAX_CHARACTERS) {
      return failure(
          Position.START,
          "the file is larger than " + MAX_CHARACTERS + " characters; a lain.yaml is far smaller");
    }
    LoadSettings settings = settings();
    try {
      Optional<Diagnostic> shapeProblem = checkEventStream(settings, text);
      if (shapeProblem.isPresent()) {
        return new Loaded.Failure(shapeProblem.get());
      }
      Optional<Node> root = new Compose(settings).composeString(text);
      if (root.isEmpty()) {
        return failure(
            Position.START, "the file is empty; expected a mapping with appname, build and procs");
      }
      YNode tree = new Converter().convert(root.get(), 1);
      return switch (tree) {
        case YNode.Mapping mapping -> new Loaded.Document(mapping);
        case YNode.Scalar scalar when scalar.isNull() ->
            failure(
                scalar.at(), "the file is empty; expected a mapping with appname, build and procs");
        default ->
            failure(
                tree.at(),
                "the document is "
                    + Describe.node(tree)
                    + "; expected a mapping with appname, build and procs");
      };
    } catch (TooComplex e) {
      return failure(e.at, e.getMessage());
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      Position at = mark == null ? Position.START : position(mark);
      return failure(at, "not valid YAML: " + syntaxMessage(e));
    } catch (ReaderException e) {
      return failure(
          positionOfIndex(text, e.getPosition()),
          "not valid YAML: "
              + e.getMessage()
              + String.format(" (character U+%04X)", e.getCodePoint()));
    } catch (RuntimeException e) {
      // snakeyaml-engine reports some limits (alias count, code points) without a position.
      return failure(Position.START, "not readable as YAML: " + String.valueOf(e.getMessage()));
    }
  }

  private static LoadSettings settings() {
    return LoadSettings.builder()
        .setLabel("lain.yaml")
        .setSchema(new CoreSchema())
        .setUseMarks(true)
        // Duplicates and non-string keys are reported by the validator, with their path.
        .setAllowDuplicateKeys(true)
        .setAllowNonScalarKeys(true)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS)
        .setCodePointLimit(MAX_CHARACTERS + 1)
        .build();
  }

  /** One document, not too deep: checked on events, which the parser produces without recursion. */
  private static Optional<Diagnostic> checkEventStream(LoadSettings settings, String text) {
    int depth = 0;
    int documents = 0;
    for (Event event : new Parse(settings).parseString(text)) {
      switch (event.getEventId()) {
        case DocumentStart -> {
          documents++;
          if (documents > 1) {
            return Optional.of(
                diagnostic(
                    at(event),
                    "the file holds more than one YAML document ('---'); lain.yaml is exactly one"));
          }
        }
        case MappingStart, SequenceStart -> {
          depth++;
          if (depth > MAX_DEPTH) {
            return Optional.of(
                diagnostic(at(event), "nested deeper than " + MAX_DEPTH + " levels"));
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        default -> {}
      }
    }
    return Optional.empty();
  }

  /** Copies the composer's graph into a tree, expanding aliases within the limits. */
  private static final class Converter {
    private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
    private int nodes;

    YNode convert(Node node, int depth) {
      Node real = node instanceof AnchorNode anchor ? anchor.getRealNode() : node;
      Position at = real.getStartMark().map(YamlLoader::position).orElse(Position.START);
      if (++nodes > MAX_NODES) {
        throw new TooComplex(
            at,
            "the document expands to more than " + MAX_NODES + " nodes (aliases repeat too much)");
      }
      if (depth > MAX_DEPTH) {
        throw new TooComplex(at, "nested deeper than " + MAX_DEPTH + " levels (through aliases)");
      }
      if (!inProgress.add(real)) {
        throw new TooComplex(at, "an alias refers to a node that contains it (recursive alias)");
      }
      try {
        return switch (real) {
          case ScalarNode scalar ->
              new YNode.Scalar(scalar.getValue(), kind(scalar.getTag()), scalar.isPlain(), at);
          case SequenceNode sequence -> {
            List<YNode> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
              items.add(convert(item, depth + 1));
            }
            yield new YNode.Sequence(items, at);
          }
          case MappingNode mapping -> mapping(mapping, depth, at);
          default -> throw new TooComplex(at, "unsupported YAML node " + real.getNodeType());
        };
      } finally {
        inProgress.remove(real);
      }
    }

    /** Merge keys ({@code <<}) are already applied by the composer, as PyYAML did for LAIN. */
    private YNode.Mapping mapping(MappingNode mapping, int depth, Position at) {
      List<YNode.Entry> entries = new ArrayList<>();
      for (NodeTuple tuple : mapping.getValue()) {
        YNode key = convert(tuple.getKeyNode(), depth + 1);
        entries.add(new YNode.Entry(key, convert(tuple.getValueNode(), depth + 1)));
      }
      return new YNode.Mapping(entries, at);
    }
  }

  private static YNode.Kind kind(Tag tag) {
    if (tag.equals(Tag.INT)) {
      return YNode.Kind.INTEGER;
    }
    if (tag.equals(Tag.FLOAT)) {
      return YNode.Kind.FLOAT;
    }
    if (tag.equals(Tag.BOOL)) {
      return YNode.Kind.BOOLEAN;
    }
    if (tag.equals(Tag.NULL)) {
      return YNode.Kind.NULL;
    }
    // Strings and any explicit tag LAIN never used (!!binary, !custom): the text is what counts.
    return YNode.Kind.STRING;
  }

  private static String syntaxMessage(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem().strip();
    String context = e.getContext() == null ? "" : e.getContext().strip();
    String message;
    if (problem.isEmpty()) {
      message = context;
    } else if (context.isEmpty()) {
      message = problem;
    } else {
      String where =
          e.getContextMark()
              .map(m -> " at " + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
              .orElse("");
      message = problem + " (" + context + where + ")";
    }
    return message.isEmpty() ? "syntax error" : message;
  }

  private static Position at(Event event) {
    return event.getStartMark().map(YamlLoader::position).orElse(Position.START);
  }

  private static Position position(Mark mark) {
    return new Position(Math.max(1, mark.getLine() + 1), Math.max(1, mark.getColumn() + 1));
  }

  private static Position positionOfIndex(String text, int index) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(index, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Position(line, column);
  }

  private static Loaded failure(Position at, String message) {
    return new Loaded.Failure(diagnostic(at, message));
  }

  private static Diagnostic diagnostic(Position at, String message) {
    return new Diagnostic("", message, at.line(), at.column());
  }

  /** Control flow out of the recursive converter; never escapes this class. */
  private static final class TooComplex extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position at;

    TooComplex(Position at, String message) {
      super(message, null, false, false);
      this.at = at;
    }
  }
}
