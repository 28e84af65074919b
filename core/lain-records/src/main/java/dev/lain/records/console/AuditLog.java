package dev.lain.records.console;

import dev.lain.model.console.AuditRecord;
import dev.lain.records.StoreChange;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every mutating request, newest kept: {@code /lain/console/audit/<epoch
 * millis>-<sequence>-<random>}, so the store's key order is time order (the sequence orders one
 * console's records within a millisecond) and two masters writing in the same millisecond do not
 * collide.
 */
public final class AuditLog {
  /** The log keeps this many records; older ones are trimmed. */
  public static final int KEEP = 10_000;

  /** Trimming lists the whole log: do it every so many writes, not on each. */
  private static final int TRIM_EVERY = 100;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final Store store;
  private final AtomicInteger writes = new AtomicInteger();

  public AuditLog(Store store) {
    this.store = store;
  }

  public void append(AuditRecord record) {
    store.commit(entry(record).txn());
    if (writes.incrementAndGet() % TRIM_EVERY == 0) {
      trim();
    }
  }

  /** The write of a record, to commit with the change it tells of (trimmed by later appends). */
  public StoreChange entry(AuditRecord record) {
    String key =
        ConsoleKeys.AUDIT
            + String.format(
                "%013d-%012d-%08x",
                record.time().toEpochMilli(), SEQUENCE.incrementAndGet(), RANDOM.nextInt());
    return StoreChange.of(List.of(), List.of(new Txn.Put(key, ConsoleJson.write(record))));
  }

  /** Newest first, at most {@code limit}. */
  public List<AuditRecord> query(Optional<String> app, Optional<String> user, int limit) {
    List<KeyValue> entries = store.list(ConsoleKeys.AUDIT).entries();
    List<AuditRecord> out = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
      AuditRecord r = ConsoleJson.read(entries.get(i), AuditRecord.class);
      if (app.map(r.app()::equals).orElse(true) && user.map(r.user()::equals).orElse(true)) {
        out.add(r);
      }
    }
    return out;
  }

  public void trim() {
    List<KeyValue> entries = store.list(ConsoleKeys.AUDIT).entries();
    for (int i = 0; i < entries.size() - KEEP; i++) {
      store.delete(entries.get(i).key());
    }
  }
}
