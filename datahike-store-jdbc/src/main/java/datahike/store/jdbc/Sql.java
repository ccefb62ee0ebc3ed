package datahike.store.jdbc;

import datahike.DatahikeException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Running statements on pooled connections: transactions, retries, and errors as store errors. */
final class Sql {
  /** Attempts at a transaction that fails with a deadlock or serialization failure. */
  private static final int ATTEMPTS = 5;

  private Sql() {}

  /** Work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in autocommit mode (each statement its own transaction). */
  static <T> T auto(DataSource ds, JdbcConfig cfg, String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw io(cfg, what, e);
    }
  }

  /**
   * Runs {@code work} as one transaction and commits; retried from the start on deadlocks and
   * serialization failures, so {@code work} must have no effect outside the database.
   */
  static <T> T tx(DataSource ds, JdbcConfig cfg, String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      boolean committed = false;
      try (Connection c = ds.getConnection()) {
        T out = inTx(c, work);
        committed = true;
        return out;
      } catch (SQLException e) {
        // Once committed, a failure (closing the connection) must not run the work again.
        if (!committed && attempt < ATTEMPTS && cfg.dialect().isRetryable(e)) {
          sleep(5L * attempt);
          continue;
        }
        throw io(cfg, what, e);
      }
    }
  }

  /** Runs {@code work} as one transaction on {@code c} and commits; rolls back on failure. */
  static <T> T inTx(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T out = work.run(c);
      c.commit();
      return out;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the pool resets or evicts the connection
      }
    }
  }

  /** The {@code :store/io} error for a failed {@code what} on store {@code cfg}. */
  static DatahikeException io(JdbcConfig cfg, String what, SQLException e) {
    return DatahikeException.of(
        "store/io",
        cfg.describe() + ": cannot " + what + ": " + e.getMessage(),
        "table",
        cfg.table(),
        "url",
        cfg.url(),
        "sql-state",
        String.valueOf(e.getSQLState()),
        e);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DatahikeException.of("store/io", "interrupted", e);
    }
  }
}
