package datahike.store.jdbc;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A JDBC store configuration, read from Datahike's keys:
 *
 * <pre>
 * {:backend :jdbc
 *  :dbtype "postgresql"     ; or "mysql" / "mariadb" (MariaDB Connector/J), "sqlite", "h2"
 *  :host "localhost"        ; server databases; default localhost
 *  :port 5432               ; default 5432 (postgresql), 3306 (mysql/mariadb)
 *  :dbname "app"            ; the database; for sqlite and h2 the database file
 *  :user "..." :password "..."
 *  :jdbcUrl "jdbc:..."      ; instead of dbtype/host/port/dbname; dbtype then follows the URL
 *  :table "datahike"        ; prefix of the tables this store owns (default "datahike")
 *  :pool-size 8}            ; connections in the pool (default 8)
 * </pre>
 *
 * @param dialect the database kind
 * @param url the JDBC URL connections use (with the settings durability needs added)
 * @param user user name, or null
 * @param password password, or null
 * @param table the table prefix
 * @param poolSize largest number of pooled connections
 * @param file the local database file (sqlite, embedded h2), else null
 * @param config the configuration map as given, for error data
 */
record JdbcConfig(
    Dialect dialect,
    String url,
    String user,
    String password,
    String table,
    int poolSize,
    Path file,
    Map<Keyword, Object> config) {

  /** Table prefixes: a plain identifier, short enough for every suffix and every database. */
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");

  /** The default table prefix, as Datahike's JDBC backend. */
  static final String DEFAULT_TABLE = "datahike";

  /** Reads {@code config}, failing with {@code :store/config} naming the culprit. */
  static JdbcConfig parse(Map<Keyword, Object> config) {
    String jdbcUrl = string(config, "jdbcUrl");
    String dbtype = string(config, "dbtype");
    Dialect dialect;
    if (dbtype != null) {
      dialect = Dialect.of(dbtype);
      if (dialect == null) {
        throw bad(config, "dbtype", ":dbtype must be postgresql, mysql, mariadb, sqlite or h2");
      }
    } else if (jdbcUrl != null) {
      dialect = Dialect.ofUrl(jdbcUrl);
      if (dialect == null) {
        throw bad(
            config, "jdbcUrl", ":jdbcUrl must be a postgresql, mariadb, mysql, sqlite or h2 URL");
      }
    } else {
      throw bad(config, "dbtype", "a :jdbc store needs :dbtype (or :jdbcUrl)");
    }
    String table = string(config, "table");
    if (table == null) {
      table = DEFAULT_TABLE;
    } else if (!TABLE.matcher(table).matches()) {
      throw bad(config, "table", ":table must be an identifier of at most 48 letters, digits or _");
    }
    long pool = number(config, "pool-size", 8);
    if (pool < 2 || pool > 1000) {
      throw bad(config, "pool-size", ":pool-size must be between 2 and 1000");
    }
    String url;
    Path file;
    if (jdbcUrl != null) {
      url = dialect.adaptUrl(jdbcUrl);
    } else {
      String dbname = string(config, "dbname");
      if (dbname == null) {
        throw bad(config, "dbname", "a :jdbc store needs :dbname (or :jdbcUrl)");
      }
      String host = string(config, "host");
      long port = number(config, "port", dialect.defaultPort());
      url = dialect.buildUrl(host == null ? "localhost" : host, (int) port, dbname);
    }
    file = dialect.file(url);
    if (dialect.embedded()) {
      if (file == null) {
        throw bad(
            config,
            dbtype != null ? "dbname" : "jdbcUrl",
            dialect.label() + " stores need a database file, got " + url);
      }
    }
    return new JdbcConfig(
        dialect,
        url,
        string(config, "user"),
        string(config, "password"),
        table,
        (int) pool,
        file,
        config);
  }

  /** The store as people name it in messages: kind, table prefix and URL (no password). */
  String describe() {
    return dialect.label() + " store " + table + " at " + url;
  }

  /** Connection properties: credentials plus what the dialect needs. */
  Properties properties() {
    Properties p = dialect.driverProperties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return p;
  }

  /** One of this store's tables: {@code <table>_<suffix>}. */
  String tableName(String suffix) {
    return table + "_" + suffix;
  }

  private static String string(Map<Keyword, Object> config, String key) {
    Object v = config.get(Keyword.of(key));
    if (v == null) {
      return null;
    }
    String s = v instanceof Keyword k ? k.fullName() : v.toString();
    return s.isEmpty() ? null : s;
  }

  private static long number(Map<Keyword, Object> config, String key, long dflt) {
    Object v = config.get(Keyword.of(key));
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw bad(config, key, ":" + key + " must be a number, got " + v);
    }
  }

  static DatahikeException bad(Map<Keyword, Object> config, String key, String message) {
    return DatahikeException.of(
        "store/config",
        message + "; got " + redacted(config),
        "key",
        Keyword.of(key),
        "config",
        redacted(config));
  }

  /** {@code config} with any password masked, for messages. */
  static String redacted(Map<Keyword, Object> config) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<Keyword, Object> e : config.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(' ');
      String k = e.getKey().fullName().toLowerCase(Locale.ROOT);
      sb.append(k.contains("password") ? "\"***\"" : String.valueOf(e.getValue()));
    }
    return sb.append('}').toString();
  }
}
