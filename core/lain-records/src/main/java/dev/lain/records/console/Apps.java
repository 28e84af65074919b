package dev.lain.records.console;

import dev.lain.model.console.AppRecord;
import dev.lain.model.console.HistoryEntry;
import dev.lain.records.RecordException;
import dev.lain.records.deployd.Versioned;
import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import dev.lain.store.Txn;
import dev.lain.store.TxnResult;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deployed apps ({@code /lain/console/apps/<app>}, LAIN's key) and their history of versions
 * ({@code /lain/console/history/<app>/<n>}).
 *
 * <p>A deploy, upgrade or undeploy first <em>claims</em> the app record: a compare-and-set that
 * marks it {@code deploying}, so of two requests (on one master or two) only one proceeds. A claim
 * older than {@link #CLAIM_TIMEOUT} is taken to be left by a console that stopped mid-change and
 * may be taken over.
 */
public final class Apps {
  public static final String DEPLOY = "deploy";
  public static final String UPGRADE = "upgrade";
  public static final String ROLLBACK = "rollback";
  public static final String UNDEPLOY = "undeploy";

  /** Writing pod groups takes well under a second; a claim this old has lost its console. */
  public static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);

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
   * Marks the app as being changed: a compare-and-set against the record as read ({@code 0}: it
   * must not exist), so of two requests only one gets it. Returns the revision of the claim.
   *
   * @throws RecordException {@code CONFLICT} when someone else changed the record meanwhile
   */
  public long claim(String app, long expectedRevision, AppRecord claim) {
    TxnResult result =
        store.commit(
            Txn.when(List.of(new Txn.ModRevisionIs(ConsoleKeys.app(app), expectedRevision)))
                .then(List.of(new Txn.Put(ConsoleKeys.app(app), ConsoleJson.write(claim)))));
    if (!result.succeeded()) {
      throw RecordException.conflict("app " + app + " is being changed by someone else");
    }
    return result.revision();
  }

  /** Refuses while another request holds the app (unless its claim is older than the timeout). */
  public void refuseWhileClaimed(String app, AppRecord record) {
    if (record.runningState().equals(AppRecord.DEPLOYING)
        && record.lastUpdate().plus(CLAIM_TIMEOUT).isAfter(clock.instant())) {
      throw RecordException.conflict(
          "app "
              + app
              + " is being changed by "
              + record.updatedBy()
              + " since "
              + record.lastUpdate()
              + "; try again when that is done");
    }
  }

  /**
   * Ends a claim with its outcome; false (and nothing written) if someone took a stale claim over
   * meanwhile.
   */
  public boolean release(String app, long claimed, AppRecord outcome) {
    return store.compareAndSet(ConsoleKeys.app(app), claimed, ConsoleJson.write(outcome));
  }

  /** Drops the app record of an undeployed app; false if it changed since {@code claimed}. */
  public boolean remove(String app, long claimed) {
    return store.compareAndDelete(ConsoleKeys.app(app), claimed);
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

  /** Adds the next entry of the app's history. */
  public void appendHistory(
      String app, String action, String metaVersion, String previous, String user) {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<HistoryEntry> history = history(app);
      long next = history.isEmpty() ? 1 : history.get(0).version() + 1;
      HistoryEntry entry =
          new HistoryEntry(next, metaVersion, previous, action, user, clock.instant());
      if (store.compareAndSet(ConsoleKeys.historyEntry(app, next), 0, ConsoleJson.write(entry))) {
        return;
      }
    }
    throw RecordException.conflict("the history of " + app + " keeps changing; try again");
  }
}
