package datahike.store.jdbc;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What differs between the databases the JDBC store runs on: URLs, column types, upsert syntax, row
 * locking, error codes and the settings durability needs. Everything else is plain SQL.
 *
 * <p>Keys are stored as their UTF-8 bytes in a binary column, never as text: MariaDB's default
 * collations are case-insensitive and pad trailing spaces, so {@code "a"}, {@code "A"} and {@code
 * "a "} would be one key there.
 */
enum Dialect {
  POSTGRESQL("PostgreSQL", "bytea", "bytea", 5432, ""),
  MARIADB("MariaDB", "varbinary(800)", "longblob", 3306, " ENGINE=InnoDB"),
  SQLITE("SQLite", "blob", "blob", 0, ""),
  H2("H2", "varbinary(800)", "varbinary", 0, "");

  private final String label;
  private final String keyType;
  private final String bytesType;
  private final int defaultPort;
  private final String tableOptions;

  Dialect(String label, String keyType, String bytesType, int defaultPort, String tableOptions) {
    this.label = label;
    this.keyType = keyType;
    this.bytesType = bytesType;
    this.defaultPort = defaultPort;
    this.tableOptions = tableOptions;
  }

  /** The dialect a {@code :dbtype} names, or null. */
  static Dialect of(String dbtype) {
    return switch (dbtype.toLowerCase(Locale.ROOT)) {
      case "postgresql", "postgres" -> POSTGRESQL;
      case "mysql", "mariadb" -> MARIADB;
      case "sqlite" -> SQLITE;
      case "h2" -> H2;
      default -> null;
    };
  }

  /** The dialect of a JDBC URL, or null. */
  static Dialect ofUrl(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    if (u.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (u.startsWith("jdbc:h2:")) {
      return H2;
    }
    return null;
  }

  String label() {
    return label;
  }

  int defaultPort() {
    return defaultPort;
  }

  /** True for databases in a local file, whose writer lock is a file lock beside it. */
  boolean embedded() {
    return this == SQLITE;
  }

  /** The URL for {@code :host :port :dbname}. */
  String buildUrl(String host, int port, String dbname) {
    return switch (this) {
      case POSTGRESQL -> "jdbc:postgresql://" + host + ":" + port + "/" + dbname;
      case MARIADB -> "jdbc:mariadb://" + host + ":" + port + "/" + dbname;
      case SQLITE -> "jdbc:sqlite:" + Path.of(dbname).toAbsolutePath();
      case H2 -> adaptUrl("jdbc:h2:file:" + Path.of(stripH2Suffix(dbname)).toAbsolutePath());
    };
  }

  /**
   * A user's URL with what this store needs: MariaDB Connector/J answers to {@code jdbc:mariadb:}
   * only. H2 must write each commit before the commit returns ({@code WRITE_DELAY=0}, not half a
   * second later) and must not write new data into space freed inside the file ({@code
   * REUSE_SPACE=FALSE}): with space reuse on, {@code ./datahike stress crash --backend h2 --cycles
   * 40} lost the last acknowledged transactions (6 to 46 of them) in 4 runs of 9, always after a
   * kill while H2 wrote a large chunk; with it off, none in 760 cycles. The file then grows with
   * every commit until the last store on it closes and compacts it ({@link H2Files}). A setting
   * the URL already gives is kept.
   */
  String adaptUrl(String url) {
    if (this == MARIADB && url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)) {
      return "jdbc:mariadb:" + url.substring(11);
    }
    if (this == H2) {
      String upper = url.toUpperCase(Locale.ROOT);
      if (!upper.contains("WRITE_DELAY")) {
        url += ";WRITE_DELAY=0";
      }
      if (!upper.contains("REUSE_SPACE")) {
        url += ";REUSE_SPACE=FALSE";
      }
    }
    return url;
  }

  /** The local database file of {@code url} (for H2 the {@code .mv.db} file), or null. */
  Path file(String url) {
    if (this == SQLITE) {
      String p = url.substring("jdbc:sqlite:".length());
      int q = p.indexOf('?');
      p = q >= 0 ? p.substring(0, q) : p;
      p = p.startsWith("file:") ? p.substring(5) : p;
      if (p.isEmpty() || p.startsWith(":memory:") || p.startsWith(":resource:")) {
        return null;
      }
      return Path.of(p).toAbsolutePath();
    }
    if (this == H2) {
      String p = url.substring("jdbc:h2:".length());
      int semi = p.indexOf(';');
      p = semi >= 0 ? p.substring(0, semi) : p;
      if (p.startsWith("file:")) {
        p = p.substring(5);
      } else if (p.matches("^[A-Za-z]{2,}:.*")) {
        return null; // mem:, tcp:, ssl:, other file systems
      }
      if (p.startsWith("~")) {
        p = System.getProperty("user.home") + p.substring(1);
      }
      return Path.of(p + ".mv.db").toAbsolutePath();
    }
    return null;
  }

  private static String stripH2Suffix(String dbname) {
    return dbname.endsWith(".mv.db") ? dbname.substring(0, dbname.length() - 6) : dbname;
  }

  /**
   * Driver properties every connection gets. SQLite: write-ahead log with a sync per commit ({@code
   * synchronous=FULL}: durable against power loss, which {@code NORMAL} is not in WAL mode),
   * transactions that take the write lock at {@code BEGIN} (no lock upgrade that could fail with
   * {@code SQLITE_BUSY}), and a long busy timeout since writers queue. PostgreSQL: batched inserts
   * rewritten to multi-row inserts.
   */
  Properties driverProperties() {
    Properties p = new Properties();
    switch (this) {
      case SQLITE -> {
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "FULL");
        p.setProperty("busy_timeout", "60000");
        p.setProperty("transaction_mode", "IMMEDIATE");
      }
      case POSTGRESQL -> {
        p.setProperty("reWriteBatchedInserts", "true");
        p.setProperty("ApplicationName", "datahike");
      }
      default -> {}
    }
    return p;
  }

  /**
   * SQL run on every new pooled connection, or null. PostgreSQL: a commit returns only once its WAL
   * is flushed, whatever the server default ({@code synchronous_commit} can be off per role or
   * database).
   */
  String connectionInitSql() {
    return this == POSTGRESQL ? "SET synchronous_commit TO on" : null;
  }

  /**
   * The isolation level pooled connections use, or null for the driver's default. Read committed:
   * MariaDB's default repeatable read takes gap locks on the chunk deletes of concurrent blob
   * batches, which can deadlock; every statement here is safe under read committed.
   */
  String isolation() {
    return this == SQLITE ? null : "TRANSACTION_READ_COMMITTED";
  }

  // ---- DDL -------------------------------------------------------------------------------

  /**
   * The tables of store {@code t}, in creation order (see {@link StoreJdbc} for their roles).
   * Values are split into chunks ({@code part} 0, 1, ...) so no row exceeds MariaDB's packet limit.
   */
  List<String> createTables(JdbcConfig c) {
    String ifNot = "create table if not exists ";
    return List.of(
        ifNot
            + c.tableName("blobs")
            + " (k "
            + keyType
            + " not null, part integer not null, v "
            + bytesType
            + " not null, primary key (k, part))"
            + tableOptions,
        ifNot
            + c.tableName("log")
            + " (seq bigint not null, part integer not null, v "
            + bytesType
            + " not null, primary key (seq, part))"
            + tableOptions,
        ifNot
            + c.tableName("head")
            + " (id integer not null primary key, v "
            + bytesType
            + " not null)"
            + tableOptions,
        createMeta(c));
  }

  /** The meta table: the format marker, the writer's fencing token, H2's lock row. */
  String createMeta(JdbcConfig c) {
    return "create table if not exists "
        + c.tableName("meta")
        + " (name varchar(16) not null primary key, v "
        + bytesType
        + " not null)"
        + tableOptions;
  }

  /** Inserts or replaces one chunk of a blob: parameters k, part, v. */
  String upsertBlob(JdbcConfig c) {
    String t = c.tableName("blobs");
    return switch (this) {
      case POSTGRESQL, SQLITE ->
          "insert into "
              + t
              + " (k, part, v) values (?, ?, ?) on conflict (k, part) do update set v = excluded.v";
      case MARIADB ->
          "insert into "
              + t
              + " (k, part, v) values (?, ?, ?) on duplicate key update v = values(v)";
      case H2 -> "merge into " + t + " (k, part, v) key (k, part) values (?, ?, ?)";
    };
  }

  /** Appended to a SELECT that must lock the rows it reads until commit ("" where not needed). */
  String forUpdate() {
    // SQLite has no row locks: transactions begin IMMEDIATE and so hold the database write lock.
    return this == SQLITE ? "" : " for update";
  }

  // ---- errors ----------------------------------------------------------------------------

  /** True when {@code e} is a primary key violation. */
  boolean isDuplicate(SQLException e) {
    String s = e.getSQLState();
    return e instanceof SQLIntegrityConstraintViolationException
        || (s != null && s.startsWith("23"))
        || (this == SQLITE && e.getErrorCode() == 19);
  }

  /** True when {@code e} says a table does not exist. */
  boolean isMissingTable(SQLException e) {
    String s = e.getSQLState();
    int code = e.getErrorCode();
    return switch (this) {
      case POSTGRESQL -> "42P01".equals(s);
      case MARIADB -> code == 1146 || "42S02".equals(s);
      case H2 -> code == 42102 || code == 42103 || code == 42104 || "42S02".equals(s);
      case SQLITE -> String.valueOf(e.getMessage()).contains("no such table");
    };
  }

  /** True when {@code e} is a deadlock or serialization failure worth retrying. */
  boolean isRetryable(SQLException e) {
    String s = e.getSQLState();
    return (s != null && s.startsWith("40")) || e.getErrorCode() == 1213 || e.getErrorCode() == 5;
  }
}
