package datahike.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import datahike.DatahikeException;
import datahike.store.BlobFrame;
import datahike.store.LogEntry;
import datahike.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The JDBC backend: a store in four tables of a SQL database, named after the {@code :table} prefix
 * {@code t}:
 *
 * <pre>
 * t_blobs (k, part, v)   one blob per key k (its UTF-8 bytes), frame KIND_BLOB split in chunks
 * t_log   (seq, part, v) one log group per commit, keyed by its first sequence; see {@link JdbcLog}
 * t_head  (id, v)        the head: row 0, frame KIND_HEAD, payload: version (8) + head bytes
 * t_meta  (name, v)      'format': the store marker, frame KIND_FORMAT, written last at creation
 *                        ({@code exists} means this row exists); 'writer': the fencing token of
 *                        the current writer ("process &lt;pid&gt; &lt;uuid&gt;"); H2 only: 'lock'
 * </pre>
 *
 * <p>Values are cut into chunks of at most {@link JdbcBlobs#CHUNK} bytes ({@code part} 0, 1, ...)
 * written in one transaction, because MariaDB refuses packets over {@code max_allowed_packet} (16
 * MiB by default) and the contract asks for 16 MiB values. Every item is framed ({@link BlobFrame})
 * like the file store's, so damage done behind the database's back is reported, never decoded.
 *
 * <p><b>Durability</b>: each {@code putAll}, head change and log group is one committed
 * transaction; what a call returned from is as durable as the database makes a commit. PostgreSQL
 * connections set {@code synchronous_commit on}; MariaDB needs {@code
 * innodb_flush_log_at_trx_commit=1} (its default); SQLite runs in WAL mode with {@code
 * synchronous=FULL}; H2 runs with {@code WRITE_DELAY=0} (a commit is written before it returns) and
 * {@code REUSE_SPACE=FALSE}, because with space reuse on H2 lost the last acknowledged commits
 * after a kill -9 while it wrote a large chunk ({@link Dialect#adaptUrl}); the file grows with each
 * commit until the last store on it closes and compacts it ({@link H2Files}). By H2's own
 * documentation a power failure may lose more: H2 is for tests and single-user tools, not for
 * data that must not be lost.
 *
 * <p>Blobs: {@link JdbcBlobs}; head compare-and-set: {@link JdbcHead}; log: {@link JdbcLog}.
 *
 * <p><b>Writer lock</b>: see {@link ServerLock}; taking it also writes a new fencing token and
 * recovers the log tail.
 */
final class StoreJdbc implements Store {
  private static final String FORMAT_TEXT = "datahike-java jdbc store";

  private final JdbcConfig cfg;
  private final HikariDataSource ds;
  private final JdbcLog log;
  private final JdbcBlobs blobStore;
  private final JdbcHead headStore;
  private final String blobs;
  private final String head;
  private final String meta;
  private volatile boolean closed;
  private volatile Lock held;

  private StoreJdbc(JdbcConfig cfg, HikariDataSource ds) {
    this.cfg = cfg;
    this.ds = ds;
    this.log = new JdbcLog(cfg, ds);
    this.blobStore = new JdbcBlobs(cfg, ds);
    this.headStore = new JdbcHead(cfg, ds);
    this.blobs = cfg.tableName("blobs");
    this.head = cfg.tableName("head");
    this.meta = cfg.tableName("meta");
  }

  /** Opens the store {@code cfg} names, creating its tables when it does not exist. */
  static StoreJdbc open(JdbcConfig cfg) {
    H2Files.retain(cfg);
    HikariDataSource ds = null;
    try {
      ds = pool(cfg);
      StoreJdbc s = new StoreJdbc(cfg, ds);
      s.create();
      return s;
    } catch (RuntimeException | Error e) {
      if (ds != null) ds.close();
      H2Files.release(cfg);
      throw e;
    }
  }

  /** True when the store {@code cfg} names exists; opens no pool and creates nothing. */
  static boolean exists(JdbcConfig cfg) {
    if (cfg.file() != null && !Files.exists(cfg.file())) {
      return false;
    }
    try (Connection c = ServerLock.connect(cfg, "check")) {
      return formatPresent(c, cfg);
    } catch (SQLException e) {
      throw Sql.io(cfg, "check whether the store exists", e);
    }
  }

  private static HikariDataSource pool(JdbcConfig cfg) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(cfg.url());
    hc.setDataSourceProperties(cfg.dialect().driverProperties());
    if (cfg.user() != null) {
      hc.setUsername(cfg.user());
    }
    if (cfg.password() != null) {
      hc.setPassword(cfg.password());
    }
    hc.setMaximumPoolSize(cfg.poolSize());
    hc.setMinimumIdle(1);
    hc.setPoolName("datahike-" + cfg.table());
    if (cfg.dialect().connectionInitSql() != null) {
      hc.setConnectionInitSql(cfg.dialect().connectionInitSql());
    }
    if (cfg.dialect().isolation() != null) {
      hc.setTransactionIsolation(cfg.dialect().isolation());
    }
    try {
      return new HikariDataSource(hc);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw DatahikeException.of(
          "store/io",
          "cannot connect to " + cfg.describe() + ": " + root.getMessage(),
          "url",
          cfg.url(),
          e);
    }
  }

  /** The log, for statistics. */
  JdbcLog log() {
    return log;
  }

  // ---- creation ------------------------------------------------------------------------

  /**
   * Creates the tables unless the format marker is there. Runs under the writer lock, so racing
   * creators and deleters wait for each other; leftovers of an interrupted deletion are removed, so
   * the new store starts empty. The marker goes last.
   */
  private void create() {
    if (Sql.auto(ds, cfg, "open the store", c -> formatPresent(c, cfg))) {
      return;
    }
    if (cfg.dialect() == Dialect.H2) {
      ensureLockRow();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    ServerLock lock;
    while (true) {
      lock = serverLock(Duration.ofMillis(50));
      if (lock != null) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw locked(Duration.ofSeconds(30));
      }
    }
    try {
      if (Sql.auto(ds, cfg, "open the store", c -> formatPresent(c, cfg))) {
        return;
      }
      Sql.auto(
          ds,
          cfg,
          "create the store's tables",
          c -> {
            try (Statement st = c.createStatement()) {
              for (String ddl : cfg.dialect().createTables(cfg)) {
                st.execute(ddl);
              }
            }
            return null;
          });
      byte[] format =
          BlobFrame.encode(BlobFrame.KIND_FORMAT, FORMAT_TEXT.getBytes(StandardCharsets.UTF_8));
      Sql.tx(
          ds,
          cfg,
          "create the store",
          c -> {
            try (Statement st = c.createStatement()) {
              st.executeUpdate("delete from " + blobs);
              st.executeUpdate("delete from " + cfg.tableName("log"));
              st.executeUpdate("delete from " + head);
              st.executeUpdate("delete from " + meta + " where name <> 'lock'");
            }
            insertMeta(c, "writer", new byte[0]);
            insertMeta(c, "format", format);
            return null;
          });
    } finally {
      lock.release();
    }
  }

  /** H2 locks a row of the meta table, so that row must exist before any lock is taken. */
  private void ensureLockRow() {
    Sql.auto(
        ds,
        cfg,
        "create the lock row",
        c -> {
          try (Statement st = c.createStatement()) {
            st.execute(cfg.dialect().createMeta(cfg));
            st.executeUpdate(
                "insert into "
                    + meta
                    + " (name, v) select 'lock', X'' where not exists (select 1 from "
                    + meta
                    + " where name = 'lock')");
          } catch (SQLException e) {
            if (!cfg.dialect().isDuplicate(e)) {
              throw e;
            }
          }
          return null;
        });
  }

  private void insertMeta(Connection c, String name, byte[] v) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("insert into " + meta + " (name, v) values (?, ?)")) {
      ps.setString(1, name);
      ps.setBytes(2, v);
      ps.executeUpdate();
    }
  }

  /** True when the store's marker row is there (false when its tables are missing). */
  static boolean formatPresent(Connection c, JdbcConfig cfg) throws SQLException {
    String where = cfg.describe() + ", format marker";
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("select v from " + cfg.tableName("meta") + " where name = 'format'")) {
      if (!rs.next()) {
        return false;
      }
      BlobFrame.decode(where, rs.getBytes(1), BlobFrame.KIND_FORMAT);
      return true;
    } catch (SQLException e) {
      if (cfg.dialect().isMissingTable(e)) {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
        return false;
      }
      throw e;
    }
  }

  // ---- blobs and head ------------------------------------------------------------------

  @Override
  public byte[] get(String key) {
    ensureOpen();
    return blobStore.get(key);
  }

  @Override
  public void putAll(Map<String, byte[]> values) {
    ensureOpen();
    blobStore.putAll(values);
  }

  @Override
  public void delete(Collection<String> keys) {
    ensureOpen();
    blobStore.delete(keys);
  }

  @Override
  public Iterable<String> list() {
    ensureOpen();
    return blobStore.list();
  }

  @Override
  public byte[] readHead() {
    ensureOpen();
    return headStore.read();
  }

  @Override
  public boolean casHead(byte[] expected, byte[] next) {
    ensureOpen();
    if (next == null) {
      throw new IllegalArgumentException("the head cannot be set to null");
    }
    return headStore.compareAndSet(expected, next);
  }

  // ---- log -----------------------------------------------------------------------------

  @Override
  public long append(List<byte[]> records) {
    ensureOpen();
    return log.append(records);
  }

  @Override
  public List<LogEntry> readLog(long fromSeq) {
    ensureOpen();
    return log.read(fromSeq);
  }

  @Override
  public void truncateLogBefore(long seq) {
    ensureOpen();
    log.truncateBefore(seq);
  }

  // ---- writer lock ---------------------------------------------------------------------

  @Override
  public WriterLock lockWriter(Duration wait) {
    ensureOpen();
    ServerLock sl = serverLock(wait);
    if (sl == null) {
      throw locked(wait);
    }
    try {
      byte[] token =
          ("process " + ProcessHandle.current().pid() + " " + UUID.randomUUID())
              .getBytes(StandardCharsets.UTF_8);
      // Waits for a commit of a writer that lost the lock unknowingly; from here on its appends
      // fail the token check.
      Sql.tx(
          ds,
          cfg,
          "write the writer token",
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("update " + meta + " set v = ? where name = 'writer'")) {
              ps.setBytes(1, token);
              if (ps.executeUpdate() == 0) {
                insertMeta(c, "writer", token);
              }
            }
            return null;
          });
      log.startWriting(token);
    } catch (RuntimeException | Error e) {
      sl.release();
      throw e;
    }
    Lock l = new Lock(sl);
    held = l;
    return l;
  }

  private ServerLock serverLock(Duration wait) {
    try {
      return ServerLock.acquire(cfg, wait);
    } catch (SQLException e) {
      throw Sql.io(cfg, "take the writer lock", e);
    }
  }

  private DatahikeException locked(Duration wait) {
    String holder;
    try {
      holder =
          holderText(
              Sql.auto(
                  ds,
                  cfg,
                  "read the writer token",
                  c -> {
                    try (Statement st = c.createStatement();
                        ResultSet rs =
                            st.executeQuery("select v from " + meta + " where name = 'writer'")) {
                      return rs.next() ? rs.getBytes(1) : null;
                    }
                  }));
    } catch (DatahikeException e) {
      holder = "another process";
    }
    return DatahikeException.of(
        "store/locked",
        cfg.describe() + " already has a writer (" + holder + "); waited " + wait,
        "table",
        cfg.table(),
        "holder",
        holder,
        "waited-ms",
        wait.toMillis());
  }

  /** "process 123" from a writer token, or "another process". */
  static String holderText(byte[] token) {
    if (token == null || token.length == 0) {
      return "another process";
    }
    String s = new String(token, StandardCharsets.UTF_8);
    int cut = s.lastIndexOf(' ');
    return cut > 0 ? s.substring(0, cut) : s;
  }

  /** The lock as handed out: releasing it also makes the log read-only again. */
  private final class Lock implements WriterLock {
    private final ServerLock lock;
    private boolean released;

    Lock(ServerLock lock) {
      this.lock = lock;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      try {
        log.stopWriting();
      } finally {
        if (held == this) {
          held = null;
        }
        lock.release();
      }
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------

  private void ensureOpen() {
    if (closed) {
      throw DatahikeException.of(
          "store/closed", cfg.describe() + " is closed", "table", cfg.table());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Lock l = held;
    try {
      if (l != null) {
        l.close();
      }
      log.close();
    } finally {
      ds.close();
      H2Files.release(cfg);
    }
  }

  @Override
  public void deleteAll() {
    ensureOpen();
    Lock mine = held;
    ServerLock bare = null;
    if (mine == null) {
      bare = serverLock(Duration.ZERO);
      if (bare == null) {
        throw locked(Duration.ZERO);
      }
    }
    try {
      // The marker first: from here on the store does not exist, even if the rest is interrupted
      // (a later creation empties what is left).
      Sql.auto(
          ds,
          cfg,
          "delete the store",
          c -> {
            try (Statement st = c.createStatement()) {
              st.executeUpdate("delete from " + meta + " where name = 'format'");
              st.execute("drop table if exists " + cfg.tableName("log"));
              st.execute("drop table if exists " + blobs);
              st.execute("drop table if exists " + head);
              if (cfg.dialect() != Dialect.H2) {
                st.execute("drop table if exists " + meta);
              }
            }
            return null;
          });
    } finally {
      if (mine != null) {
        mine.close();
      }
      if (bare != null) {
        bare.release();
      }
    }
    try {
      if (cfg.dialect() == Dialect.H2) {
        // H2's lock row lives in the meta table: dropped once the lock is released.
        Sql.auto(
            ds,
            cfg,
            "delete the store",
            c -> {
              try (Statement st = c.createStatement()) {
                st.execute("drop table if exists " + meta);
              }
              return null;
            });
      }
      if (cfg.dialect() == Dialect.SQLITE) {
        try {
          Files.deleteIfExists(ServerLock.LocalFile.path(cfg));
        } catch (java.io.IOException e) {
          // a leftover lock file harms nothing
        }
      }
    } finally {
      close();
    }
  }
}
