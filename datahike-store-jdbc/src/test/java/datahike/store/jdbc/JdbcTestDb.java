package datahike.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import datahike.edn.Keyword;
import datahike.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the JDBC tests run on: the machine's PostgreSQL (127.0.0.1:5432, user postgres,
 * database test) and MariaDB (127.0.0.1:3306, root, database test), and SQLite and H2 files in a
 * temporary directory of this JVM. Every store gets tables named {@code dh<run>_<tag><n>_*}, unique
 * to this JVM, and {@link #dropTables} removes them.
 *
 * <p>A server that does not answer skips the tests that need it, loudly (the reason names the
 * server and is printed to stderr), unless {@code DATAHIKE_REQUIRE_SERVICES=1}: then they fail.
 */
public enum JdbcTestDb {
  POSTGRES("PostgreSQL at 127.0.0.1:5432 (user postgres, database test)"),
  MARIADB("MariaDB at 127.0.0.1:3306 (user root, database test)"),
  SQLITE("SQLite (embedded file)"),
  H2("H2 (embedded file)");

  /** Prefix of every table this JVM creates. */
  public static final String RUN =
      "dh" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8).substring(0, 6);

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static volatile Path dir;

  private final String server;

  JdbcTestDb(String server) {
    this.server = server;
  }

  /** Where the server is, for messages. */
  public String server() {
    return server;
  }

  /**
   * A fresh table prefix, unique in this JVM: {@code <run>_<tag><n>}. Each test class uses its own
   * tag (a letter), so classes running in parallel drop only their own tables.
   */
  public static String newTable(String tag) {
    return RUN + "_" + tag + TABLES.incrementAndGet();
  }

  /** Skips (or, with DATAHIKE_REQUIRE_SERVICES=1, fails) when the database does not answer. */
  public void require() {
    try (Connection c = raw()) {
      c.createStatement().close();
    } catch (SQLException | RuntimeException e) {
      String msg = server + " is unreachable, so its JDBC store tests cannot run: " + e;
      if ("1".equals(System.getenv("DATAHIKE_REQUIRE_SERVICES"))) {
        fail(msg + " (DATAHIKE_REQUIRE_SERVICES=1 requires it)");
      }
      System.err.println("SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
  }

  /** The store configuration of a store with table prefix {@code table}. */
  public Map<Keyword, Object> config(String table) {
    return config(table, null);
  }

  /**
   * As {@link #config(String)}, for SQLite and H2 in the file {@code file} of the temporary
   * directory instead of the shared one (an embedded H2 file is open to one process at a time).
   */
  public Map<Keyword, Object> config(String table, String file) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Stores.BACKEND, Keyword.of("jdbc"));
    switch (this) {
      case POSTGRES -> {
        m.put(Keyword.of("dbtype"), "postgresql");
        m.put(Keyword.of("host"), "127.0.0.1");
        m.put(Keyword.of("port"), 5432L);
        m.put(Keyword.of("dbname"), "test");
        m.put(Keyword.of("user"), "postgres");
      }
      case MARIADB -> {
        m.put(Keyword.of("dbtype"), "mariadb");
        m.put(Keyword.of("host"), "127.0.0.1");
        m.put(Keyword.of("port"), 3306L);
        m.put(Keyword.of("dbname"), "test");
        m.put(Keyword.of("user"), "root");
      }
      case SQLITE -> {
        m.put(Keyword.of("dbtype"), "sqlite");
        m.put(Keyword.of("dbname"), dir().resolve(file == null ? "test.sqlite" : file).toString());
      }
      case H2 -> {
        m.put(Keyword.of("dbtype"), "h2");
        m.put(Keyword.of("dbname"), dir().resolve(file == null ? "test-h2" : file).toString());
      }
    }
    m.put(Keyword.of("table"), table);
    return m;
  }

  /** {@code config(table)} as EDN, plus {@code :id table} (which core's registry keys by). */
  public String edn(String table) {
    return edn(table, null);
  }

  /** {@code config(table, file)} as EDN, plus {@code :id table}. */
  public String edn(String table, String file) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<Keyword, Object> e : config(table, file).entrySet()) {
      Object v = e.getValue();
      sb.append(e.getKey()).append(' ');
      sb.append(v instanceof String s ? "\"" + s.replace("\\", "\\\\") + "\"" : v).append(' ');
    }
    return sb.append(":id \"").append(table).append("\"}").toString();
  }

  /** A connection to the database itself, past the store. */
  public Connection raw() throws SQLException {
    Properties p = new Properties();
    return switch (this) {
      case POSTGRES -> {
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "3");
        yield DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", p);
      }
      case MARIADB -> {
        p.setProperty("user", "root");
        p.setProperty("connectTimeout", "3000");
        yield DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test", p);
      }
      case SQLITE -> {
        p.setProperty("busy_timeout", "30000");
        yield DriverManager.getConnection(
            "jdbc:sqlite:" + dir().resolve("test.sqlite").toAbsolutePath(), p);
      }
      case H2 ->
          DriverManager.getConnection(
              Dialect.H2.adaptUrl("jdbc:h2:file:" + dir().resolve("test-h2").toAbsolutePath()));
    };
  }

  /** The name the database gives table {@code name} (H2 folds unquoted names to upper case). */
  public String tableName(String name) {
    return this == H2 ? name.toUpperCase(Locale.ROOT) : name;
  }

  /** Drops every table of this run made with {@code tag}. */
  public void dropTables(String tag) {
    String prefix = RUN + "_" + tag;
    String sql =
        switch (this) {
          case POSTGRES ->
              "select table_name from information_schema.tables"
                  + " where table_schema = current_schema() and table_name like ?";
          case MARIADB ->
              "select table_name from information_schema.tables"
                  + " where table_schema = database() and table_name like ?";
          case SQLITE -> "select name from sqlite_master where type = 'table' and name like ?";
          case H2 ->
              "select table_name from information_schema.tables"
                  + " where table_schema = 'PUBLIC' and table_name like ?";
        };
    try (Connection c = raw()) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, tableName(prefix) + "%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
      }
      try (Statement st = c.createStatement()) {
        // One statement per 50 tables where the database takes a list (DDL is slow one by one).
        int step = this == SQLITE ? 1 : 50;
        for (int i = 0; i < names.size(); i += step) {
          st.execute(
              "drop table if exists "
                  + String.join(", ", names.subList(i, Math.min(names.size(), i + step))));
        }
      }
    } catch (SQLException e) {
      System.err.println("could not drop the test tables " + prefix + "* on " + server + ": " + e);
    }
  }

  /** The temporary directory of this JVM's SQLite and H2 files, removed at exit. */
  public static Path dir() {
    Path d = dir;
    if (d == null) {
      synchronized (JdbcTestDb.class) {
        if (dir == null) {
          try {
            dir = Files.createTempDirectory("datahike-jdbc-test");
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          Path created = dir;
          Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
        }
        d = dir;
      }
    }
    return d;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
