package datahike.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The JDBC store ({@code :backend :jdbc}) on the databases its tests use: SQLite and H2 files under
 * the bench work dir, the machine's PostgreSQL (127.0.0.1:5432, user postgres, database test) and
 * MariaDB (127.0.0.1:3306, user root, database test). Each bench database is its own table prefix
 * ({@code :table "<id>"}); the server databases are shared, so clean-up drops exactly the tables
 * named {@code <id>_*}.
 */
final class JdbcBackend extends Backend {
  private final Path workDir;

  JdbcBackend(String dbtype, Path workDir) {
    super(dbtype, "jdbc");
    this.workDir = workDir;
  }

  private boolean embedded() {
    return name().equals("sqlite") || name().equals("h2");
  }

  @Override
  String serverUnavailable() {
    if (embedded()) {
      return null;
    }
    try (Connection c = server()) {
      c.createStatement().close();
      return null;
    } catch (SQLException e) {
      return "no "
          + name()
          + " at "
          + url()
          + " (user "
          + user()
          + "): "
          + e.getMessage().lines().findFirst().orElse("");
    }
  }

  @Override
  String storeEdn(String id) {
    StringBuilder sb = new StringBuilder("{:backend :jdbc :dbtype \"" + name() + "\"");
    switch (name()) {
      case "sqlite" -> sb.append(" :dbname ").append(edn(localDir(id).resolve("db.sqlite") + ""));
      case "h2" -> sb.append(" :dbname ").append(edn(localDir(id).resolve("h2") + ""));
      default ->
          sb.append(" :host \"127.0.0.1\" :port ")
              .append(port())
              .append(" :dbname \"test\" :user ")
              .append(edn(user()));
    }
    return sb.append(" :table ")
        .append(edn(id))
        .append(" :id ")
        .append(edn(id))
        .append('}')
        .toString();
  }

  private Path localDir(String id) {
    Path dir = workDir.resolve(id);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return dir;
  }

  @Override
  Path dir(String id) {
    return embedded() ? workDir.resolve(id) : null;
  }

  @Override
  String cleanUp(String id) {
    if (embedded()) {
      // The database file stays after the store drops its tables: removing it is expected.
      deleteTree(workDir.resolve(id));
      return null;
    }
    List<String> left = new ArrayList<>();
    try (Connection c = server()) {
      String sql =
          name().equals("postgresql")
              ? "select table_name from information_schema.tables"
                  + " where table_schema = current_schema() and table_name like ?"
              : "select table_name from information_schema.tables"
                  + " where table_schema = database() and table_name like ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, id.toLowerCase(Locale.ROOT) + "%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String t = rs.getString(1);
            // LIKE's '_' matches any character: keep only this database's own tables.
            if (t.toLowerCase(Locale.ROOT).startsWith(id.toLowerCase(Locale.ROOT) + "_")) {
              left.add(t);
            }
          }
        }
      }
      try (Statement st = c.createStatement()) {
        for (String t : left) {
          st.execute("drop table if exists " + t);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the tables " + id + "_* on " + url(), e);
    }
    return left.isEmpty() ? null : "tables " + left;
  }

  private int port() {
    return name().equals("postgresql") ? 5432 : 3306;
  }

  private String user() {
    return name().equals("postgresql") ? "postgres" : "root";
  }

  private String url() {
    return "jdbc:"
        + (name().equals("postgresql") ? "postgresql" : "mariadb")
        + "://127.0.0.1:"
        + port()
        + "/test";
  }

  /** A plain connection to the server database, past the store, with a 3 s connect timeout. */
  private Connection server() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user());
    p.setProperty("connectTimeout", name().equals("postgresql") ? "3" : "3000");
    return DriverManager.getConnection(url(), p);
  }
}
