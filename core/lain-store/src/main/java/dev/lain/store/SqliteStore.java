package dev.lain.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend ({@code embedded:/path}): a SQLite database in WAL mode holding the current
 * state, a revision log for watches and the leases. Several processes on one machine may open the
 * same file (e.g. {@code laind} and {@code lainctl}); each sees the others' writes through its
 * watches within one poll interval.
 */
public final class SqliteStore implements Store {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);

  /** How often to look for writes made by other processes. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  /** History kept for watches that resume from an old revision. */
  static final long HISTORY_REVISIONS = 100_000;

  private static final int SCHEMA_VERSION = 1;

  /** The most writes committed together. */
  private static final int MAX_BATCH = 1000;

  private static final int PUT = 0;
  private static final int DELETE = 1;

  private final Path file;
  private final InstantSource clock;
  private final Connection db;
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<PendingWrite<?>> pendingWrites =
      new ConcurrentLinkedQueue<>();

  /** Prepared once per connection; used only while holding {@link #lock}. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  private final WatchHub hub;
  private final Thread housekeeper;
  private volatile boolean closed;

  private SqliteStore(Path file, InstantSource clock, Connection db) {
    this.file = file;
    this.clock = clock;
    this.db = db;
    this.hub = new WatchHub(new Log(), "embedded-store", POLL_INTERVAL);
    this.housekeeper =
        Thread.ofPlatform().daemon().name("embedded-store-housekeeping").start(this::housekeep);
  }

  /** Opens (creating if needed) the store in {@code file}. */
  public static SqliteStore open(Path file) {
    return open(file, InstantSource.system());
  }

  static SqliteStore open(Path file, InstantSource clock) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (AccessDeniedException e) {
      throw new StoreException(
          StoreException.Code.STORAGE,
          "cannot create "
              + dir
              + ": permission denied (run as root, or choose another store with"
              + " --store embedded:/writable/path/store.db)",
          e);
    } catch (IOException e) {
      throw new StoreException(StoreException.Code.STORAGE, "cannot create " + dir + ": " + e, e);
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new StoreException(
          StoreException.Code.STORAGE, "cannot write the store " + file + ": permission denied");
    }
    Connection db = null;
    try {
      db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
        s.execute("PRAGMA journal_mode = WAL");
        // Every commit reaches the disk before it is acknowledged, as with etcd.
        s.execute("PRAGMA synchronous = FULL");
      }
      db.setAutoCommit(true);
      createSchema(db, file);
      return new SqliteStore(file, clock, db);
    } catch (SQLException e) {
      closeQuietly(db);
      throw new StoreException(
          StoreException.Code.STORAGE,
          "cannot open the embedded store " + file + ": " + e.getMessage(),
          e);
    }
  }

  private static void createSchema(Connection db, Path file) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        s.execute(
            "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        s.execute(
            "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
                + " create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL,"
                + " version INTEGER NOT NULL, lease INTEGER NOT NULL) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS kv_by_lease ON kv (lease) WHERE lease <> 0");
        s.execute(
            "CREATE TABLE IF NOT EXISTS log (rev INTEGER NOT NULL, seq INTEGER NOT NULL,"
                + " kind INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                + " create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,"
                + " PRIMARY KEY (rev, seq)) WITHOUT ROWID");
        s.execute(
            "CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL,"
                + " expires_at_ms INTEGER NOT NULL)");
        s.execute("INSERT OR IGNORE INTO meta VALUES ('revision', 0), ('compact_revision', 0)");
        s.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', " + SCHEMA_VERSION + ")");
        try (ResultSet rs =
            s.executeQuery("SELECT value FROM meta WHERE name = 'schema_version'")) {
          int version = rs.next() ? rs.getInt(1) : -1;
          if (version != SCHEMA_VERSION) {
            throw new StoreException(
                StoreException.Code.STORAGE,
                file
                    + " has store schema "
                    + version
                    + "; this LAIN reads schema "
                    + SCHEMA_VERSION);
          }
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        s.execute("ROLLBACK");
        throw e;
      }
    }
  }

  @Override
  public String backend() {
    return "embedded";
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public long revision() {
    return read(() -> meta("revision"));
  }

  @Override
  public Optional<KeyValue> get(String key) {
    Keys.check(key);
    return read(() -> current(key));
  }

  @Override
  public Listing list(String prefix) {
    Keys.checkPrefix(prefix);
    return read(
        () -> {
          // One read transaction: the revision and the entries come from the same snapshot.
          try (Statement s = db.createStatement()) {
            s.execute("BEGIN");
            try {
              return new Listing(meta("revision"), under(prefix));
            } finally {
              s.execute("COMMIT");
            }
          }
        });
  }

  @Override
  public long put(String key, String value, long leaseId) {
    return commit(Txn.always(List.of(new Txn.Put(key, value, leaseId)))).revision();
  }

  @Override
  public boolean delete(String key) {
    Keys.check(key);
    return write(
        state -> {
          boolean existed = state.current(key).isPresent();
          Writes.commit(state, Txn.always(List.of(new Txn.Delete(key))));
          return existed;
        });
  }

  @Override
  public int deletePrefix(String prefix) {
    Keys.checkPrefix(prefix);
    return write(state -> Writes.deletePrefix(state, prefix));
  }

  @Override
  public TxnResult commit(Txn txn) {
    return write(state -> Writes.commit(state, txn));
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    ensureOpen();
    return hub.register(prefix, fromRevision, listener);
  }

  @Override
  public Lease grantLease(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease TTL must be positive: " + ttl);
    }
    return write(
        state -> {
          long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
          {
            PreparedStatement ps = statement("INSERT INTO lease VALUES (?, ?, ?)");
            ps.setLong(1, id);
            ps.setLong(2, ttl.toMillis());
            ps.setLong(3, clock.millis() + ttl.toMillis());
            ps.executeUpdate();
          }
          return new Lease(id, ttl);
        });
  }

  @Override
  public boolean keepAlive(long leaseId) {
    return write(
        state -> {
          {
            PreparedStatement ps =
                statement(
                    "UPDATE lease SET expires_at_ms = ? + ttl_ms WHERE id = ? AND expires_at_ms > ?");
            long now = clock.millis();
            ps.setLong(1, now);
            ps.setLong(2, leaseId);
            ps.setLong(3, now);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public void revokeLease(long leaseId) {
    write(
        state -> {
          if (state.leaseExists(leaseId)) {
            Writes.endLease(state, leaseId);
          }
          return null;
        });
  }

  @Override
  public void compact(long revision) {
    write(
        state -> {
          if (revision > state.revision()) {
            throw new IllegalArgumentException(
                "cannot compact to future revision "
                    + revision
                    + " (current "
                    + state.revision()
                    + ")");
          }
          compactTo(revision);
          return null;
        });
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    // Watches end first, so the pump never reads from a closed database.
    hub.close();
    closed = true;
    housekeeper.interrupt();
    lock.lock();
    try {
      for (PreparedStatement ps : statements.values()) {
        try {
          ps.close();
        } catch (SQLException ignored) {
          // The connection closes next, taking anything left with it.
        }
      }
      closeQuietly(db);
    } finally {
      lock.unlock();
    }
  }

  /** Ends expired leases (whoever notices first: every process sharing the file looks). */
  void expireLeases() {
    List<Long> expired =
        read(
            () -> {
              List<Long> ids = new ArrayList<>();
              {
                PreparedStatement ps = statement("SELECT id FROM lease WHERE expires_at_ms <= ?");
                ps.setLong(1, clock.millis());
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    ids.add(rs.getLong(1));
                  }
                }
              }
              return ids;
            });
    for (long id : expired) {
      write(
          state -> {
            // Re-check inside the write: another process may have ended or renewed it meanwhile.
            {
              PreparedStatement ps =
                  statement("SELECT 1 FROM lease WHERE id = ? AND expires_at_ms <= ?");
              ps.setLong(1, id);
              ps.setLong(2, clock.millis());
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  Writes.endLease(state, id);
                }
              }
            }
            return null;
          });
    }
  }

  private void housekeep() {
    long lastRetentionCheck = 0;
    while (!closed) {
      try {
        Thread.sleep(100);
        expireLeases();
        if (clock.millis() - lastRetentionCheck > 10_000) {
          lastRetentionCheck = clock.millis();
          write(
              state -> {
                long keepFrom = state.revision() - HISTORY_REVISIONS;
                if (keepFrom > meta("compact_revision")) {
                  compactTo(keepFrom);
                }
                return null;
              });
        }
      } catch (InterruptedException e) {
        return;
      } catch (StoreException e) {
        if (!closed) {
          log.warn("embedded store housekeeping failed, retrying: {}", e.getMessage());
        }
      }
    }
  }

  private void compactTo(long revision) throws SQLException {
    if (revision <= meta("compact_revision")) {
      return;
    }
    {
      PreparedStatement ps = statement("DELETE FROM log WHERE rev < ?");
      ps.setLong(1, revision);
      ps.executeUpdate();
    }
    setMeta("compact_revision", revision);
  }

  private long meta(String name) throws SQLException {
    {
      PreparedStatement ps = statement("SELECT value FROM meta WHERE name = ?");
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("meta row " + name + " is missing");
        }
        return rs.getLong(1);
      }
    }
  }

  private void setMeta(String name, long value) throws SQLException {
    {
      PreparedStatement ps = statement("UPDATE meta SET value = ? WHERE name = ?");
      ps.setLong(1, value);
      ps.setString(2, name);
      ps.executeUpdate();
    }
  }

  private Optional<KeyValue> current(String key) throws SQLException {
    {
      PreparedStatement ps =
          statement("SELECT key, value, create_rev, mod_rev, version, lease FROM kv WHERE key = ?");
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(keyValue(rs)) : Optional.empty();
      }
    }
  }

  private List<KeyValue> under(String prefix) throws SQLException {
    String end = Keys.prefixEnd(prefix);
    String sql =
        "SELECT key, value, create_rev, mod_rev, version, lease FROM kv WHERE key >= ?"
            + (end == null ? " AND substr(key, 1, length(?)) = ?" : " AND key < ?")
            + " ORDER BY key";
    {
      PreparedStatement ps = statement(sql);
      ps.setString(1, prefix);
      if (end == null) {
        ps.setString(2, prefix);
        ps.setString(3, prefix);
      } else {
        ps.setString(2, end);
      }
      List<KeyValue> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(keyValue(rs));
        }
      }
      return out;
    }
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = db.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private static KeyValue keyValue(ResultSet rs) throws SQLException {
    return new KeyValue(
        rs.getString(1),
        rs.getString(2),
        rs.getLong(3),
        rs.getLong(4),
        rs.getLong(5),
        rs.getLong(6));
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException(StoreException.Code.CLOSED, "the store is closed");
    }
  }

  @FunctionalInterface
  private interface SqlSupplier<T> {
    T get() throws SQLException;
  }

  @FunctionalInterface
  private interface SqlWrite<T> {
    T apply(State state) throws SQLException;
  }

  private <T> T read(SqlSupplier<T> action) {
    ensureOpen();
    lock.lock();
    try {
      return action.get();
    } catch (SQLException e) {
      throw storageFailure(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a write in a transaction of its own revision. Concurrent writes are committed together
   * (group commit): whoever holds the connection runs every write queued so far, each in its own
   * savepoint, and one COMMIT (one fsync) makes them all durable. Each write still sees the effects
   * of those before it and gets its own revision.
   */
  private <T> T write(SqlWrite<T> action) {
    ensureOpen();
    PendingWrite<T> mine = new PendingWrite<>(action);
    pendingWrites.add(mine);
    lock.lock();
    try {
      while (!mine.done) {
        runBatch();
      }
    } finally {
      lock.unlock();
    }
    return mine.outcome();
  }

  /** Runs every queued write in one transaction. The caller holds {@link #lock}. */
  private void runBatch() {
    List<PendingWrite<?>> batch = new ArrayList<>();
    PendingWrite<?> next;
    while (batch.size() < MAX_BATCH && (next = pendingWrites.poll()) != null) {
      batch.add(next);
    }
    boolean changed = false;
    try (Statement s = db.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        State state = new State(meta("revision"));
        for (PendingWrite<?> w : batch) {
          long before = state.revision;
          s.execute("SAVEPOINT w");
          try {
            w.run(state);
            s.execute("RELEASE w");
          } catch (SQLException | RuntimeException e) {
            s.execute("ROLLBACK TO w");
            s.execute("RELEASE w");
            state.revision = before;
            w.fail(e instanceof SQLException sql ? storageFailure(sql) : (RuntimeException) e);
          }
          changed |= state.revision != before;
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      RuntimeException failure =
          e instanceof SQLException sql ? storageFailure(sql) : (RuntimeException) e;
      for (PendingWrite<?> w : batch) {
        w.fail(failure);
      }
      return;
    } finally {
      for (PendingWrite<?> w : batch) {
        w.done = true;
      }
    }
    if (changed) {
      hub.signal();
    }
  }

  /** A write waiting for (or done by) a batch. */
  private static final class PendingWrite<T> {
    final SqlWrite<T> action;
    T result;
    RuntimeException failure;
    volatile boolean done;

    PendingWrite(SqlWrite<T> action) {
      this.action = action;
    }

    void run(State state) throws SQLException {
      result = action.apply(state);
    }

    void fail(RuntimeException e) {
      if (failure == null) {
        failure = e;
        result = null;
      }
    }

    T outcome() {
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }

  private StoreException storageFailure(SQLException e) {
    if (closed) {
      return new StoreException(StoreException.Code.CLOSED, "the store is closed", e);
    }
    return new StoreException(
        StoreException.Code.STORAGE, "embedded store " + file + ": " + e.getMessage(), e);
  }

  private static void closeQuietly(Connection db) {
    if (db != null) {
      try {
        db.close();
      } catch (SQLException ignored) {
        // Closing after a failure: the first error is the one worth reporting.
      }
    }
  }

  /** The current state inside one write transaction (the caller holds the lock and the txn). */
  private final class State implements MutableState {
    long revision;

    State(long revision) {
      this.revision = revision;
    }

    @Override
    public long revision() {
      return revision;
    }

    @Override
    public Optional<KeyValue> current(String key) {
      try {
        return SqliteStore.this.current(key);
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }

    @Override
    public List<KeyValue> currentUnder(String prefix) {
      try {
        return under(prefix);
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }

    @Override
    public boolean leaseExists(long leaseId) {
      try {
        PreparedStatement ps = statement("SELECT 1 FROM lease WHERE id = ?");
        ps.setLong(1, leaseId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }

    @Override
    public List<String> keysOfLease(long leaseId) {
      try {
        PreparedStatement ps = statement("SELECT key FROM kv WHERE lease = ?");
        ps.setLong(1, leaseId);
        List<String> keys = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.add(rs.getString(1));
          }
        }
        return keys;
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }

    @Override
    public void write(KeyValue kv) {
      try {
        PreparedStatement ps = statement("INSERT OR REPLACE INTO kv VALUES (?, ?, ?, ?, ?, ?)");
        ps.setString(1, kv.key());
        ps.setString(2, kv.value());
        ps.setLong(3, kv.createRevision());
        ps.setLong(4, kv.modRevision());
        ps.setLong(5, kv.version());
        ps.setLong(6, kv.leaseId());
        ps.executeUpdate();
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }

    @Override
    public void remove(String key) {
      try {
        PreparedStatement ps = statement("DELETE FROM kv WHERE key = ?");
        ps.setString(1, key);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }

    @Override
    public void dropLease(long leaseId) {
      try {
        PreparedStatement ps = statement("DELETE FROM lease WHERE id = ?");
        ps.setLong(1, leaseId);
        ps.executeUpdate();
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }

    @Override
    public void append(long rev, List<WatchEvent> events) {
      try {
        PreparedStatement ps = statement("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        int seq = 0;
        for (WatchEvent event : events) {
          ps.setLong(1, rev);
          ps.setInt(2, seq++);
          switch (event) {
            case WatchEvent.Put put -> {
              ps.setInt(3, PUT);
              ps.setString(4, put.kv().key());
              ps.setString(5, put.kv().value());
              ps.setLong(6, put.kv().createRevision());
              ps.setLong(7, put.kv().version());
              ps.setLong(8, put.kv().leaseId());
            }
            case WatchEvent.Delete delete -> {
              ps.setInt(3, DELETE);
              ps.setString(4, delete.key());
              ps.setString(5, "");
              ps.setLong(6, 0);
              ps.setLong(7, 0);
              ps.setLong(8, 0);
            }
          }
          ps.addBatch();
        }
        ps.executeBatch();
        setMeta("revision", rev);
        revision = rev;
      } catch (SQLException e) {
        throw storageFailure(e);
      }
    }
  }

  private final class Log implements EventLog {
    @Override
    public long headRevision() {
      return SqliteStore.this.read(() -> meta("revision"));
    }

    @Override
    public long compactRevision() {
      return SqliteStore.this.read(() -> meta("compact_revision"));
    }

    @Override
    public List<WatchEvent> read(String prefix, long from, long to) {
      return SqliteStore.this.read(
          () -> {
            String end = Keys.prefixEnd(prefix);
            String sql =
                "SELECT rev, kind, key, value, create_rev, version, lease FROM log"
                    + " WHERE rev >= ? AND rev <= ? AND key >= ?"
                    + (end == null ? "" : " AND key < ?")
                    + " ORDER BY rev, seq";
            {
              PreparedStatement ps = statement(sql);
              ps.setLong(1, from);
              ps.setLong(2, to);
              ps.setString(3, prefix);
              if (end != null) {
                ps.setString(4, end);
              }
              List<WatchEvent> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  long rev = rs.getLong(1);
                  String key = rs.getString(3);
                  if (!key.startsWith(prefix)) {
                    continue;
                  }
                  out.add(
                      rs.getInt(2) == PUT
                          ? new WatchEvent.Put(
                              new KeyValue(
                                  key,
                                  rs.getString(4),
                                  rs.getLong(5),
                                  rev,
                                  rs.getLong(6),
                                  rs.getLong(7)))
                          : new WatchEvent.Delete(key, rev));
                }
              }
              return out;
            }
          });
    }
  }
}
