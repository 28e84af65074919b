package dev.lain.store;

import java.util.List;
import java.util.Objects;

/**
 * A conditional, atomic batch of writes: all {@code operations} apply if all {@code conditions}
 * hold.
 */
public record Txn(List<Condition> conditions, List<Operation> operations) {
  public Txn {
    conditions = List.copyOf(conditions);
    operations = List.copyOf(operations);
    // etcd refuses a transaction that writes one key twice; every backend does the same.
    if (operations.stream().map(Operation::key).distinct().count() != operations.size()) {
      throw new IllegalArgumentException("a transaction may write each key only once");
    }
  }

  public static Builder when(List<Condition> conditions) {
    return new Builder(conditions);
  }

  public static Txn always(List<Operation> operations) {
    return new Txn(List.of(), operations);
  }

  /** Builds a transaction in the reading order {@code when(...).then(...)}. */
  public static final class Builder {
    private final List<Condition> conditions;

    private Builder(List<Condition> conditions) {
      this.conditions = conditions;
    }

    public Txn then(List<Operation> operations) {
      return new Txn(conditions, operations);
    }
  }

  /** Something that must hold for a transaction to apply. */
  public sealed interface Condition permits ModRevisionIs, ValueIs {
    String key();
  }

  /** The key's mod revision equals {@code modRevision}; {@code 0} means the key must not exist. */
  public record ModRevisionIs(String key, long modRevision) implements Condition {
    public ModRevisionIs {
      Keys.check(key);
      if (modRevision < 0) {
        throw new IllegalArgumentException("negative revision " + modRevision);
      }
    }
  }

  /** The key exists and holds exactly {@code value}. */
  public record ValueIs(String key, String value) implements Condition {
    public ValueIs {
      Keys.check(key);
      Objects.requireNonNull(value, "value");
    }
  }

  /** A write inside a transaction. */
  public sealed interface Operation permits Put, Delete {
    String key();
  }

  public record Put(String key, String value, long leaseId) implements Operation {
    public Put {
      Keys.check(key);
      Objects.requireNonNull(value, "value");
    }

    public Put(String key, String value) {
      this(key, value, Lease.NONE);
    }
  }

  public record Delete(String key) implements Operation {
    public Delete {
      Keys.check(key);
    }
  }
}
