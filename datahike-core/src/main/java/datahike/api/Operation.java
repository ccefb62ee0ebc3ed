package datahike.api;

import java.util.List;
import java.util.Locale;

/**
 * The one description of the API's operations, from which every face is derived or checked: the
 * Java facade {@link datahike.Datahike} (a test checks each operation has its method), the CLI's
 * commands and help, the HTTP routes and their OpenAPI description. Modelled on Datahike's
 * api/specification.cljc.
 *
 * <p>Argument names use Datahike's CLI prefixes: {@code db} (a database value, given on the CLI
 * as {@code db:cfg.edn}, {@code asof:T:cfg.edn}, {@code since:T:cfg.edn}, {@code
 * history:cfg.edn}), {@code conn} (a connection, {@code conn:cfg.edn}), {@code config} (a
 * configuration file), and EDN data ({@code edn:file}, {@code json:file} or inline).
 */
public enum Operation {
  CREATE_DATABASE("createDatabase", "create-database", Kind.ADMIN, true,
      "Creates the database a configuration describes.", List.of(arg("config", ArgType.CONFIG))),
  DELETE_DATABASE("deleteDatabase", "delete-database", Kind.ADMIN, true,
      "Deletes a database and all its data.", List.of(arg("config", ArgType.CONFIG))),
  DATABASE_EXISTS("databaseExists", "database-exists", Kind.READ, true,
      "Whether the database exists.", List.of(arg("config", ArgType.CONFIG))),
  TRANSACT("transact", "transact", Kind.WRITE, true,
      "Applies transaction data; returns the transaction report.",
      List.of(arg("conn", ArgType.CONN), arg("tx-data", ArgType.DATA))),
  LOAD_ENTITIES("loadEntities", "load-entities", Kind.WRITE, true,
      "Loads entities (or datoms) exported from another database, keeping their order.",
      List.of(arg("conn", ArgType.CONN), arg("entities", ArgType.DATA))),
  Q("q", "query", Kind.READ, true,
      "Runs a Datalog query against one or more inputs.",
      List.of(arg("query", ArgType.DATA), arg("inputs", ArgType.VARARGS))),
  QUERY_STATS("queryStats", "query-stats", Kind.READ, true,
      "Runs a query and returns its result with per-clause statistics.",
      List.of(arg("query", ArgType.DATA), arg("inputs", ArgType.VARARGS))),
  PULL("pull", "pull", Kind.READ, true,
      "Pulls a pattern for one entity.",
      List.of(arg("db", ArgType.DB), arg("pattern", ArgType.DATA), arg("eid", ArgType.DATA))),
  PULL_MANY("pullMany", "pull-many", Kind.READ, true,
      "Pulls a pattern for several entities.",
      List.of(arg("db", ArgType.DB), arg("pattern", ArgType.DATA), arg("eids", ArgType.DATA))),
  ENTITY("entity", "entity", Kind.READ, true,
      "The attributes of one entity.", List.of(arg("db", ArgType.DB), arg("eid", ArgType.DATA))),
  DATOMS("datoms", "datoms", Kind.READ, true,
      "Datoms of an index with the given leading components.",
      List.of(arg("db", ArgType.DB), arg("index", ArgType.DATA), arg("components", ArgType.VARARGS))),
  SEEK_DATOMS("seekDatoms", "seek-datoms", Kind.READ, true,
      "Datoms of an index from the given components to its end.",
      List.of(arg("db", ArgType.DB), arg("index", ArgType.DATA), arg("components", ArgType.VARARGS))),
  INDEX_RANGE("indexRange", "index-range", Kind.READ, true,
      "Datoms of an attribute with values in [start, end].",
      List.of(arg("db", ArgType.DB), arg("attrid", ArgType.DATA), arg("start", ArgType.DATA),
          arg("end", ArgType.DATA))),
  SCHEMA("schema", "schema", Kind.READ, true, "The schema.", List.of(arg("db", ArgType.DB))),
  REVERSE_SCHEMA("reverseSchema", "reverse-schema", Kind.READ, true,
      "The reverse schema: property to attributes.", List.of(arg("db", ArgType.DB))),
  METRICS("metrics", "metrics", Kind.READ, true,
      "Datom counts of a database.", List.of(arg("db", ArgType.DB))),
  HISTORY("history", "history", Kind.VIEW, true,
      "The history view of a database.", List.of(arg("db", ArgType.DB))),
  AS_OF("asOf", "as-of", Kind.VIEW, true,
      "The database as of a transaction id or date.",
      List.of(arg("db", ArgType.DB), arg("time-point", ArgType.DATA))),
  SINCE("since", "since", Kind.VIEW, true,
      "The datoms added since a transaction id or date.",
      List.of(arg("db", ArgType.DB), arg("time-point", ArgType.DATA))),
  WITH("with", "with", Kind.READ, true,
      "The database as if transaction data were applied; nothing is written.",
      List.of(arg("db", ArgType.DB), arg("tx-data", ArgType.DATA))),
  GC_STORAGE("gcStorage", "gc-storage", Kind.ADMIN, true,
      "Deletes stored blobs unreachable from the head and from snapshots younger than a date.",
      List.of(arg("conn", ArgType.CONN), arg("remove-before", ArgType.DATA))),
  FILTER("filter", null, Kind.VIEW, false,
      "A view with only the datoms a Java predicate accepts (not remote: predicates are code).",
      List.of(arg("db", ArgType.DB), arg("predicate", ArgType.JAVA))),
  LISTEN("listen", null, Kind.ADMIN, false,
      "Calls a Java listener with every later transaction report.",
      List.of(arg("conn", ArgType.CONN), arg("key", ArgType.DATA), arg("listener", ArgType.JAVA))),
  UNLISTEN("unlisten", null, Kind.ADMIN, false,
      "Removes a listener.", List.of(arg("conn", ArgType.CONN), arg("key", ArgType.DATA))),
  CONNECT("connect", null, Kind.ADMIN, false,
      "Opens a connection to an existing database.", List.of(arg("config", ArgType.CONFIG))),
  RELEASE("release", null, Kind.ADMIN, false,
      "Releases a connection.", List.of(arg("conn", ArgType.CONN)));

  /** What an operation does, for access control and routing. */
  public enum Kind {
    /** Reads only. */
    READ,
    /** Returns a view of a database value. */
    VIEW,
    /** Changes data: needs a write token remotely. */
    WRITE,
    /** Creates, deletes or maintains databases: needs a write token remotely. */
    ADMIN
  }

  /** How an argument is given. */
  public enum ArgType {
    CONFIG,
    CONN,
    DB,
    DATA,
    VARARGS,
    JAVA
  }

  /** One argument: its name and kind. */
  public record Arg(String name, ArgType type) {}

  private static Arg arg(String name, ArgType type) {
    return new Arg(name, type);
  }

  private final String javaName;
  private final String cliName;
  private final Kind kind;
  private final boolean remote;
  private final String doc;
  private final List<Arg> args;

  Operation(String javaName, String cliName, Kind kind, boolean remote, String doc, List<Arg> args) {
    this.javaName = javaName;
    this.cliName = cliName;
    this.kind = kind;
    this.remote = remote;
    this.doc = doc;
    this.args = args;
  }

  /** The method name on {@link datahike.Datahike}. */
  public String javaName() {
    return javaName;
  }

  /** The CLI command (Datahike's CLI name), or null when the operation has no CLI form. */
  public String cliName() {
    return cliName;
  }

  /** The HTTP route, e.g. {@code /pull-many}, or null when not remote. */
  public String route() {
    return remote ? "/" + (cliName != null ? cliName : javaName.toLowerCase(Locale.ROOT)) : null;
  }

  public Kind kind() {
    return kind;
  }

  /** True when the operation may run over HTTP. */
  public boolean remote() {
    return remote;
  }

  /** True when the operation changes data (writes and administration). */
  public boolean mutates() {
    return kind == Kind.WRITE || kind == Kind.ADMIN;
  }

  /** One-line documentation. */
  public String doc() {
    return doc;
  }

  public List<Arg> args() {
    return args;
  }

  /** The operation with this CLI name, or null. */
  public static Operation byCliName(String name) {
    for (Operation o : values()) if (name.equals(o.cliName)) return o;
    return null;
  }
}
