package dev.lain.spec;

import java.util.List;

/**
 * The YAML document as a plain tree: what the validator reads. Aliases are already expanded, merge
 * keys ({@code <<}) already applied, and every node knows where it starts in the text.
 */
sealed interface YNode permits YNode.Scalar, YNode.Sequence, YNode.Mapping {

  Position at();

  /** How the YAML 1.2 core schema resolved a scalar (quoted scalars are always strings). */
  enum Kind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }

  record Scalar(String text, Kind kind, boolean plain, Position at) implements YNode {
    boolean isNull() {
      return kind == Kind.NULL;
    }
  }

  record Sequence(List<YNode> items, Position at) implements YNode {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /** Entries in document order, duplicates included: the reader reports them with their path. */
  record Mapping(List<Entry> entries, Position at) implements YNode {
    public Mapping {
      entries = List.copyOf(entries);
    }
  }

  /** A key may be any node: YAML allows lists and maps as keys; the reader rejects them. */
  record Entry(YNode key, YNode value) {}

  /** A 1-based line and column. */
  record Position(int line, int column) implements Comparable<Position> {
    static final Position START = new Position(1, 1);

    public Position {
      if (line < 1 || column < 1) {
        throw new IllegalArgumentException("positions are 1-based: " + line + ":" + column);
      }
    }

    @Override
    public int compareTo(Position other) {
      return line != other.line
          ? Integer.compare(line, other.line)
          : Integer.compare(column, other.column);
    }
  }
}
