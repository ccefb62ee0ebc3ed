package datahike.cli;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.DatahikeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns command-line arguments into values, with Datahike's CLI prefixes:
 *
 * <pre>
 * conn:CFG          a connection to the database configured in file CFG
 * db:CFG            its current value
 * history:CFG       its history view
 * asof:T:CFG        the value as of T
 * since:T:CFG       the datoms added since T
 * edn:FILE          the EDN form in FILE
 * json:FILE         the JSON value in FILE (see {@link Json})
 * anything else     read as EDN: '[:find ?e ...]', 42, :eavt, '[:name "Alice"]'
 * </pre>
 *
 * T is a transaction id, or Unix time in milliseconds (as in Datahike's CLI) when at least 10^12
 * (2001-09-09). A configuration is a file holding an EDN map, or the map itself inline.
 *
 * <p>A {@code :memory} store lives only as long as this process, so {@code conn:} and {@code db:}
 * create one that does not exist yet (running its {@code :initial-tx}); other stores must exist.
 * Connections opened here are released by {@link #close()}.
 */
final class Inputs implements AutoCloseable {
  private static final Pattern TIME = Pattern.compile("(asof|since):([^:]+):(.+)");

  /** Smallest time point read as Unix milliseconds rather than a transaction id. */
  static final long MILLIS_FROM = 1_000_000_000_000L;

  private final List<Connection> open = new ArrayList<>();

  /** A database value from {@code db:}, {@code history:}, {@code asof:} or {@code since:}. */
  Database db(String arg, String what) {
    Object v = value(arg, what);
    if (v instanceof Database d) return d;
    if (v instanceof Connection c) return c.db();
    throw DatahikeException.of(
        "cli/bad-argument",
        what + ": expected a database such as db:cfg.edn, got " + arg,
        "argument",
        arg);
  }

  /** A connection from {@code conn:CFG} (or {@code db:CFG}: the same database). */
  Connection conn(String arg, String what) {
    if (arg.startsWith("conn:")) return connect(arg.substring(5));
    if (arg.startsWith("db:")) return connect(arg.substring(3));
    throw DatahikeException.of(
        "cli/bad-argument",
        what + ": expected a connection such as conn:cfg.edn, got " + arg,
        "argument",
        arg);
  }

  /**
   * Any argument: a database, a connection or data, by its prefix (see the class comment). {@code
   * what} names the argument in error messages.
   */
  Object value(String arg, String what) {
    if (arg.startsWith("conn:")) return connect(arg.substring(5));
    if (arg.startsWith("db:")) return connect(arg.substring(3)).db();
    if (arg.startsWith("history:")) return connect(arg.substring(8)).db().history();
    Matcher m = TIME.matcher(arg);
    if (m.matches()) {
      Object t = timePoint(m.group(2), what);
      Database db = connect(m.group(3)).db();
      return m.group(1).equals("asof") ? db.asOf(t) : db.since(t);
    }
    return data(arg, what);
  }

  /** Data: {@code edn:FILE}, {@code json:FILE} or inline EDN. */
  static Object data(String arg, String what) {
    if (arg.startsWith("edn:")) return EdnText.read(slurp(arg.substring(4)), what);
    if (arg.startsWith("json:")) return Json.read(slurp(arg.substring(5)), what);
    return EdnText.read(arg, what);
  }

  /** A configuration: a file path, {@code edn:FILE}, or an inline EDN map. */
  static Config config(String arg) {
    String text;
    if (arg.trim().startsWith("{")) text = arg;
    else if (arg.startsWith("edn:")) text = slurp(arg.substring(4));
    else text = slurp(arg);
    try {
      return Config.parse(text);
    } catch (DatahikeException e) {
      throw EdnText.rename(e, "configuration " + arg);
    }
  }

  /** A time point: a transaction id, Unix milliseconds (≥ 10^12), or an {@code #inst}. */
  static Object timePoint(String text, String what) {
    Object t = EdnText.read(text, what);
    if (t instanceof Number n && n.longValue() >= MILLIS_FROM) return new Date(n.longValue());
    if (t instanceof Number n) return n.longValue();
    if (t instanceof Date) return t;
    throw DatahikeException.of(
        "time-point/invalid",
        what + ": a time point is a transaction id, Unix milliseconds or #inst, got " + text,
        "time-point",
        text);
  }

  private Connection connect(String cfgArg) {
    Config cfg = config(cfgArg);
    Connection c = open(cfg);
    open.add(c);
    return c;
  }

  /** Connects to {@code cfg}; an in-memory store that does not exist yet is created first. */
  static Connection open(Config cfg) {
    if (isMemory(cfg) && !Datahike.databaseExists(cfg)) {
      try {
        Datahike.createDatabase(cfg);
      } catch (DatahikeException e) {
        if (!e.code().fullName().equals("db/exists")) throw e;
      }
    }
    return Datahike.connect(cfg);
  }

  static boolean isMemory(Config cfg) {
    String b = cfg.backend().name();
    return b.equals("memory") || b.equals("mem");
  }

  /** The text of a file; a missing file is a user error ({@code :cli/no-such-file}). */
  static String slurp(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw DatahikeException.of("cli/no-such-file", "No such file: " + file, "file", file);
    } catch (IOException e) {
      throw DatahikeException.of(
          "cli/io", "Cannot read " + file + ": " + e.getMessage(), "file", file, e);
    }
  }

  @Override
  public void close() {
    for (Connection c : open) c.close();
    open.clear();
  }
}
