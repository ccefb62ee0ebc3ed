package datahike.cli;

import datahike.Config;
import datahike.Connection;
import datahike.Datahike;
import datahike.DatahikeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The database the console (and {@code import}/{@code export} without a database argument) works
 * on: {@code --config CFG}, {@code --memory}, or the default, a file store in {@code
 * ./datahike-data} (or {@code --data DIR}) with schema-on-read, created on first use.
 *
 * <p>When the build has no file backend ({@code createDatabase} fails with {@code
 * :store/unsupported-backend} or {@code :store/unknown-backend}), the default falls back to an
 * in-memory database and says so; with the file backend present the fallback never happens.
 */
final class DefaultDatabase {
  private DefaultDatabase() {}

  /** The directory of the default database, relative to the working directory. */
  static final String DEFAULT_DIR = "datahike-data";

  /**
   * An open database and the lines that describe it for the banner.
   *
   * @param conn the connection
   * @param about where the data lives, how to change it, the schema mode
   * @param fallback true when the file store was asked for but memory is used instead
   */
  record Opened(Connection conn, List<String> about, boolean fallback) {}

  /** Opens the database the options choose. */
  static Opened open(String configFile, boolean memory, String dataDir) {
    if (configFile != null) return fromConfig(configFile);
    if (memory) {
      Opened o = memoryDb("console-" + UUID.randomUUID());
      List<String> about = new ArrayList<>();
      about.add("Database: in memory (--memory): nothing is kept after exit.");
      about.addAll(o.about());
      return new Opened(o.conn(), about, false);
    }
    return fileDefault(dataDir == null ? DEFAULT_DIR : dataDir);
  }

  /** The default: a file store in {@code dir}, created with schema-on-read when missing. */
  static Opened fileDefault(String dir) {
    String shown = Path.of(dir).isAbsolute() ? dir : "./" + dir;
    return durableOrMemory(fileConfig(Path.of(dir).toAbsolutePath().normalize().toString()), shown);
  }

  /**
   * Opens (creating when missing) the stored database {@code cfg}; when its backend is not in this
   * build, an in-memory database instead, saying so. {@code shown} names it for people.
   */
  static Opened durableOrMemory(Config cfg, String shown) {
    try {
      boolean created = createIfMissing(cfg);
      Connection conn = Datahike.connect(cfg);
      List<String> about = new ArrayList<>();
      about.add(
          "Database: "
              + shown
              + " ("
              + cfg.backend().name()
              + " store"
              + (created ? ", created now" : "")
              + "). Others: --config cfg.edn, --data DIR, --memory.");
      about.add(schemaLine(conn.config()));
      return new Opened(conn, about, false);
    } catch (DatahikeException e) {
      if (!isMissingBackend(e)) throw e;
      Opened o = memoryDb("datahike-data");
      List<String> about = new ArrayList<>();
      about.add(
          "Database: in memory. The "
              + cfg.backend().name()
              + " store for "
              + shown
              + " is not in this build,");
      about.add("  so nothing is kept after exit. Others: --config cfg.edn, --memory.");
      about.addAll(o.about());
      return new Opened(o.conn(), about, true);
    }
  }

  /** True for the errors saying a store backend is not available. */
  static boolean isMissingBackend(DatahikeException e) {
    String code = e.code().fullName();
    return code.equals("store/unsupported-backend") || code.equals("store/unknown-backend");
  }

  /** The configuration of the default file database at absolute {@code path}. */
  static Config fileConfig(String path) {
    return Config.of(
        Map.of("store", Map.of("backend", "file", "path", path), "schema-flexibility", "read"));
  }

  private static Opened memoryDb(String id) {
    Config cfg =
        Config.of(
            Map.of("store", Map.of("backend", "memory", "id", id), "schema-flexibility", "read"));
    Connection conn = Inputs.open(cfg);
    return new Opened(conn, List.of(schemaLine(cfg)), false);
  }

  private static Opened fromConfig(String file) {
    Config cfg = Inputs.config(file);
    boolean created = Inputs.isMemory(cfg) ? false : createIfMissing(cfg);
    Connection conn = Inputs.open(cfg);
    List<String> about = new ArrayList<>();
    about.add(
        "Database: "
            + EdnText.print(cfg.store())
            + " from "
            + file
            + (created ? " (created now)" : ""));
    about.add(schemaLine(cfg));
    return new Opened(conn, about, false);
  }

  /** Creates the database when it does not exist; true when it did not. */
  private static boolean createIfMissing(Config cfg) {
    if (Datahike.databaseExists(cfg)) return false;
    try {
      Datahike.createDatabase(cfg);
      return true;
    } catch (DatahikeException e) {
      if (e.code().fullName().equals("db/exists")) return false; // another process won the race
      throw e;
    }
  }

  private static String schemaLine(Config cfg) {
    return cfg.schemaOnRead()
        ? "Schema-on-read: transact any attribute right away."
        : "Schema-on-write: declare attributes ({:db/ident :name :db/valueType ...}) first.";
  }
}
