package datahike.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The H2 database files this JVM's stores have open, and their compaction when the last store on
 * a file closes.
 *
 * <p>The store opens H2 with {@code REUSE_SPACE=FALSE} ({@link Dialect#adaptUrl}): H2 then never
 * overwrites space inside the file, which is what kept acknowledged commits through kill -9, but
 * every commit appends a new chunk (10–30 KiB here), and closing the database normally does not
 * give the space back. {@code SHUTDOWN COMPACT} rewrites the file to its live data. It closes the
 * database for every session in this JVM, so it runs only when the last store on the file has
 * closed its pool and nobody else holds a session; otherwise the file stays as it is (nothing is
 * lost either way: compaction only returns space).
 */
final class H2Files {
  private static final Map<Path, Integer> OPEN = new HashMap<>();

  private H2Files() {}

  /** Counts one more store on {@code cfg}'s file (none when it is not a local H2 file). */
  static void retain(JdbcConfig cfg) {
    Path f = file(cfg);
    if (f != null) {
      synchronized (OPEN) {
        OPEN.merge(f, 1, Integer::sum);
      }
    }
  }

  /**
   * Counts one store less on {@code cfg}'s file, after it closed its pool; the last one compacts
   * the file when no other session is open. Holding the monitor meanwhile keeps a store from
   * opening the file halfway through.
   */
  static void release(JdbcConfig cfg) {
    Path f = file(cfg);
    if (f == null) {
      return;
    }
    synchronized (OPEN) {
      Integer n = OPEN.get(f);
      if (n == null) {
        return;
      }
      if (n > 1) {
        OPEN.put(f, n - 1);
        return;
      }
      OPEN.remove(f);
      compactIfAlone(cfg);
    }
  }

  private static void compactIfAlone(JdbcConfig cfg) {
    try (Connection c = ServerLock.connect(cfg, "compaction");
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("select count(*) from information_schema.sessions")) {
        if (!rs.next() || rs.getLong(1) != 1) {
          return; // someone else works on the file: not ours to close
        }
      }
      st.execute("SHUTDOWN COMPACT");
    } catch (SQLException e) {
      // Compaction gives space back and nothing else; the data is as durable as before it.
    }
  }

  private static Path file(JdbcConfig cfg) {
    return cfg.dialect() == Dialect.H2 ? cfg.dialect().file(cfg.url()) : null;
  }
}
