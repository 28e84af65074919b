package dev.lain.records.console;

import dev.lain.model.console.AppRecord;
import dev.lain.model.console.HistoryEntry;
import dev.lain.records.RecordException;
import dev.lain.records.StoreChange;
import dev.lain.records.deployd.Versioned;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deployed apps ({@code /lain/console/apps/<app>}, LAIN's key) and their history of versions
 * ({@code /lain/console/history/<app>/<n>}).
 *
 * <p>A deploy, upgrade, rollback or undeploy writes the app record, its pod groups, the history
 * entry and the audit record in one transaction, on condition that none of them changed since they
 * were read: of two requests (on one master or two) one wins and the other is told to try again,
 * and a console that dies in the middle leaves nothing half done and nothing held.
 */
public final class Apps {
  public static final String DEPLOY = "deploy";
  public static final String UPGRADE = "upgrade";
  public static final String ROLLBACK = "rollback";
  public static final String UNDEPLOY = "undeploy";

  private final Store store;
  private final InstantSource clock;

  public Apps(Store store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  public Optional<Versioned<AppRecord>> get(String app) {
    return store
        .get(ConsoleKeys.app(app))
        .map(kv -> new Versioned<>(ConsoleJson.read(kv, AppRecord.class), kv.modRevision()));
  }

  public Versioned<AppRecord> requireDeployed(String app) {
    return get(app)
        .orElseThrow(
            () ->
                RecordException.notFound(
                    "app " + app + " is not deployed: deploy it with POST /api/v1/apps"));
  }

  public List<AppRecord> list() {
    return store.list(ConsoleKeys.APPS).entries().stream()
        .map(kv -> ConsoleJson.read(kv, AppRecord.class))
        .toList();
  }

  /**
   * The write of the app record, on condition that it is still at {@code expectedRevision} ({@code
   * 0}: that it does not exist).
   */
  public StoreChange put(String app, long expectedRevision, AppRecord record) {
    return StoreChange.of(
        List.of(new Txn.ModRevisionIs(ConsoleKeys.app(app), expectedRevision)),
        List.of(new Txn.Put(ConsoleKeys.app(app), ConsoleJson.write(record))));
  }

  /** The removal of the app record, on condition that it is still at {@code expectedRevision}. */
  public StoreChange removal(String app, long expectedRevision) {
    return StoreChange.of(
        List.of(new Txn.ModRevisionIs(ConsoleKeys.app(app), expectedRevision)),
        List.of(new Txn.Delete(ConsoleKeys.app(app))));
  }

  /** Newest first. */
  public List<HistoryEntry> history(String app) {
    List<KeyValue> entries = store.list(ConsoleKeys.history(app)).entries();
    List<HistoryEntry> out = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      out.add(ConsoleJson.read(entries.get(i), HistoryEntry.class));
    }
    return out;
  }

  /** The meta_version that ran before {@code current}, for a rollback without a version. */
  public Optional<String> previousVersion(String app, String current) {
    return history(app).stream()
        .filter(h -> !h.action().equals(UNDEPLOY))
        .map(HistoryEntry::metaVersion)
        .filter(v -> !v.equals(current))
        .findFirst();
  }

  /** The write of the next entry of the app's history, on condition that it is still the next. */
  public StoreChange nextHistoryEntry(
      String app, String action, String metaVersion, String previous, String user) {
    List<HistoryEntry> history = history(app);
    long next = history.isEmpty() ? 1 : history.get(0).version() + 1;
    HistoryEntry entry =
        new HistoryEntry(next, metaVersion, previous, action, user, clock.instant());
    String key = ConsoleKeys.historyEntry(app, next);
    return StoreChange.of(
        List.of(new Txn.ModRevisionIs(key, 0)),
        List.of(new Txn.Put(key, ConsoleJson.write(entry))));
  }
}
