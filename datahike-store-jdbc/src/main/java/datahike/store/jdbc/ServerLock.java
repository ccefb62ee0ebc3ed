package datahike.store.jdbc;

import datahike.DatahikeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The lock that makes one store instance, in any process, the writer of a JDBC store. Each kind
 * holds something the database (or the OS) drops when the holder dies, so a crashed writer never
 * leaves the store locked:
 *
 * <ul>
 *   <li>PostgreSQL: a session advisory lock, {@code pg_try_advisory_lock(0x44484A4C, crc)} with crc
 *       the CRC32C of {@code schema.table}, held by a dedicated connection (never a pooled one: the
 *       pool would recycle it).
 *   <li>MariaDB/MySQL: a named lock, {@code GET_LOCK('datahike:<database>.<table>', 0)}, held by a
 *       dedicated connection.
 *   <li>H2: the row {@code name = 'lock'} of the meta table, selected {@code FOR UPDATE} by a
 *       dedicated connection whose transaction stays open while the lock is held.
 *   <li>SQLite: an OS file lock on {@code <db file>.<table>.lock} beside the database; a semaphore
 *       per lock file keeps instances within one JVM apart first (Java file locks belong to the
 *       process).
 * </ul>
 *
 * <p>Server locks can be lost without the holder noticing (a dropped connection), so the store
 * fences its log writes with a token as well; see {@link StoreJdbc}.
 */
sealed interface ServerLock {
  /** PostgreSQL advisory lock class: 'DHJL'. */
  int PG_LOCK_CLASS = 0x44484A4C;

  /** Releases the lock. Idempotent. */
  void release();

  /**
   * Takes the lock of store {@code c}, waiting up to {@code wait}; null when another holder kept it
   * that long.
   */
  static ServerLock acquire(JdbcConfig c, Duration wait) throws SQLException {
    long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
    return switch (c.dialect()) {
      case POSTGRESQL, MARIADB -> Named.acquire(c, deadline);
      case H2 -> Row.acquire(c, wait);
      case SQLITE -> LocalFile.acquire(c, deadline);
    };
  }

  /** A fresh connection outside the pool, for holding a lock. */
  static Connection connect(JdbcConfig c, String purpose) throws SQLException {
    java.util.Properties p = c.properties();
    if (c.dialect() == Dialect.POSTGRESQL) {
      p.setProperty(
          "ApplicationName", "datahike " + purpose + " pid " + ProcessHandle.current().pid());
    }
    return DriverManager.getConnection(c.url(), p);
  }

  /** Sleeps until the next attempt; false when the deadline has passed. */
  private static boolean pause(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    Sql.sleep(Math.max(1, Math.min(20, TimeUnit.NANOSECONDS.toMillis(left))));
    return true;
  }

  /** A PostgreSQL advisory lock or a MariaDB named lock on a dedicated connection. */
  final class Named implements ServerLock {
    private final Connection conn;
    private final String releaseSql;
    private final Object[] args;
    private boolean released;

    private Named(Connection conn, String releaseSql, Object[] args) {
      this.conn = conn;
      this.releaseSql = releaseSql;
      this.args = args;
    }

    static Named acquire(JdbcConfig c, long deadline) throws SQLException {
      Connection conn = connect(c, "writer");
      try {
        Object[] args;
        String take;
        String release;
        if (c.dialect() == Dialect.POSTGRESQL) {
          String schema = scalar(conn, "select current_schema()");
          args = new Object[] {PG_LOCK_CLASS, crc(schema + "." + c.table())};
          take = "select pg_try_advisory_lock(?, ?)";
          release = "select pg_advisory_unlock(?, ?)";
        } else {
          String name = "datahike:" + scalar(conn, "select database()") + "." + c.table();
          if (name.length() > 64) {
            name = "datahike:" + Integer.toHexString(crc(name));
          }
          args = new Object[] {name};
          take = "select get_lock(?, 0)";
          release = "select release_lock(?)";
        }
        try (PreparedStatement ps = conn.prepareStatement(take)) {
          for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
          }
          do {
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (rs.getBoolean(1)) {
                Named n = new Named(conn, release, args);
                conn = null;
                return n;
              }
            }
          } while (pause(deadline));
        }
        return null;
      } finally {
        if (conn != null) {
          conn.close();
        }
      }
    }

    @Override
    public synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      try (PreparedStatement ps = conn.prepareStatement(releaseSql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        ps.executeQuery().close();
      } catch (SQLException e) {
        // Closing the session below releases the lock in any case.
      } finally {
        try {
          conn.close();
        } catch (SQLException ignored) {
          // the server drops the lock with the session
        }
      }
    }
  }

  /** H2: the meta table's lock row, locked by an open transaction on a dedicated connection. */
  final class Row implements ServerLock {
    private final Connection conn;
    private boolean released;

    private Row(Connection conn) {
      this.conn = conn;
    }

    static Row acquire(JdbcConfig c, Duration wait) throws SQLException {
      Connection conn = connect(c, "writer");
      try {
        try (Statement st = conn.createStatement()) {
          st.execute(
              "set lock_timeout " + Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis())));
        }
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "select v from " + c.tableName("meta") + " where name = 'lock' for update")) {
          if (!rs.next()) {
            throw DatahikeException.of(
                "store/corrupt",
                c.describe() + " has no lock row in " + c.tableName("meta"),
                "table",
                c.table());
          }
        } catch (SQLException e) {
          if (e.getErrorCode() == 50200) { // LOCK_TIMEOUT_1
            return null;
          }
          throw e;
        }
        Row r = new Row(conn);
        conn = null;
        return r;
      } finally {
        if (conn != null) {
          conn.close();
        }
      }
    }

    @Override
    public synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      try {
        conn.rollback();
      } catch (SQLException ignored) {
        // closing ends the transaction too
      } finally {
        try {
          conn.close();
        } catch (SQLException ignored) {
          // nothing left to release
        }
      }
    }
  }

  /** SQLite: an OS lock on a file beside the database. */
  final class LocalFile implements ServerLock {
    private static final ConcurrentHashMap<Path, Semaphore> JVM = new ConcurrentHashMap<>();

    private final Semaphore jvm;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private LocalFile(Semaphore jvm, FileChannel channel, FileLock lock) {
      this.jvm = jvm;
      this.channel = channel;
      this.lock = lock;
    }

    /** The lock file of store {@code c}. */
    static Path path(JdbcConfig c) {
      Path db = c.file();
      return db.resolveSibling(db.getFileName() + "." + c.table() + ".lock");
    }

    static LocalFile acquire(JdbcConfig c, long deadline) throws SQLException {
      Path p = path(c).normalize();
      Semaphore jvm = JVM.computeIfAbsent(p, k -> new Semaphore(1));
      try {
        if (!jvm.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          return null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      FileChannel ch = null;
      try {
        ch =
            FileChannel.open(
                p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock fl;
        while ((fl = ch.tryLock()) == null) {
          if (!pause(deadline)) {
            ch.close();
            jvm.release();
            return null;
          }
        }
        ch.truncate(0);
        ch.write(
            java.nio.ByteBuffer.wrap(
                ("process " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)),
            0);
        return new LocalFile(jvm, ch, fl);
      } catch (IOException | RuntimeException e) {
        try {
          if (ch != null) {
            ch.close();
          }
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        jvm.release();
        throw new SQLException("cannot lock " + p + ": " + e, e);
      }
    }

    @Override
    public synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      try {
        lock.release();
        channel.close();
      } catch (IOException ignored) {
        // closing the channel releases the lock in any case
      } finally {
        jvm.release();
      }
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int crc(String s) {
    CRC32C c = new CRC32C();
    c.update(s.getBytes(StandardCharsets.UTF_8));
    return (int) c.getValue();
  }
}
