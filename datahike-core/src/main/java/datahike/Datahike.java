package datahike;

import datahike.db.AbstractDb;
import datahike.db.EdnTags;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.query.Query;
import datahike.query.QueryOptions;
import datahike.spi.ConnectionProviders;
import datahike.spi.DatabaseBackend;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The entry point: Datahike's API as static methods (the names of Datahike's own Java API).
 *
 * <pre>{@code
 * Config cfg = Config.parse("{:store {:backend :memory :id \"demo\"}}");
 * Datahike.createDatabase(cfg);
 * try (Connection conn = Datahike.connect(cfg)) {
 *   conn.transact("[{:db/ident :name :db/valueType :db.type/string"
 *       + " :db/cardinality :db.cardinality/one}]");
 *   conn.transact("[{:name \"Alice\"}]");
 *   Set<List<Object>> rows = Datahike.q("[:find ?e ?n :where [?e :name ?n]]", conn.db());
 * }
 * }</pre>
 *
 * Queries, patterns and transaction data are accepted as EDN strings or as Java data (Lists, Maps,
 * {@link Keyword}s, {@link Symbol}s). Every error is a {@link DatahikeException} with a stable
 * code.
 */
public final class Datahike {
  private Datahike() {}

  // ------------------------------------------------------------------ databases

  /**
   * Creates the database {@code cfg} describes; fails with {@code :db/exists} if it exists. With
   * {@code :remote-peer} or {@code :writer} the server creates it.
   */
  public static void createDatabase(Config cfg) {
    ConnectionProviders.Route r = ConnectionProviders.route(cfg);
    if (r != null) {
      r.provider().createDatabase(cfg, r.mode());
      return;
    }
    DatabaseRegistry.create(cfg);
  }

  /**
   * Deletes the database and its data; nothing happens when it does not exist. With {@code
   * :remote-peer} or {@code :writer} the server deletes it.
   */
  public static void deleteDatabase(Config cfg) {
    ConnectionProviders.Route r = ConnectionProviders.route(cfg);
    if (r != null) {
      r.provider().deleteDatabase(cfg, r.mode());
      return;
    }
    DatabaseRegistry.delete(cfg);
  }

  /** True when the database exists (on the server, with {@code :remote-peer}). */
  public static boolean databaseExists(Config cfg) {
    ConnectionProviders.Route r = ConnectionProviders.route(cfg);
    if (r != null) return r.provider().databaseExists(cfg, r.mode());
    return DatabaseRegistry.exists(cfg);
  }

  /**
   * Connects to an existing database; fails with {@code :db/missing} when there is none. A
   * configuration with {@code :remote-peer {:backend :datahike-server :url ... :token ...}} gives a
   * connection whose every call goes to that server; one with {@code :writer {...}} beside a shared
   * {@code :store} reads locally and transacts through the writer. Both need the provider's module
   * (datahike-server) on the class path.
   */
  public static Connection connect(Config cfg) {
    ConnectionProviders.Route r = ConnectionProviders.route(cfg);
    if (r != null) return new Connection(r.provider().connect(cfg, r.mode()));
    return new Connection(DatabaseRegistry.open(cfg));
  }

  /** Releases a connection (same as {@link Connection#close()}). */
  public static void release(Connection conn) {
    conn.close();
  }

  // ------------------------------------------------------------------ writing

  /** Transacts {@code txData} on {@code conn}; see {@link Connection#transact(Object)}. */
  public static TxReport transact(Connection conn, Object txData) {
    return conn.transact(txData);
  }

  /** The database as if {@code txData} were transacted; nothing is written. */
  public static Database with(Database db, Object txData) {
    return db.with(txData).dbAfter();
  }

  /** Same as {@link #with(Database, Object)} (Datahike's db-with). */
  public static Database dbWith(Database db, Object txData) {
    return with(db, txData);
  }

  /**
   * Loads datoms exported from another database (see {@link Database#export}): entity and
   * transaction ids kept, in transaction order, in one commit. Entity maps and operation lists
   * are transacted as usual instead. Returns the report.
   */
  public static TxReport loadEntities(Connection conn, Object entities) {
    return conn.loadEntities(entities);
  }

  /**
   * Deletes stored blobs unreachable from the current head and from snapshots younger than {@code
   * removeBefore}; returns the number of blobs removed. In-memory databases keep nothing to
   * collect and return 0.
   */
  public static long gcStorage(Connection conn, Date removeBefore) {
    return conn.gcStorage(removeBefore);
  }

  /** Registers a transaction function callable as {@code [:name args...]} in transactions. */
  public static void registerTxFunction(Keyword name, TxFunction fn) {
    datahike.tx.Registry.registerTxFunction(name, fn);
  }

  /** Registers an entity predicate usable in {@code :db.entity/preds} of entity specs. */
  public static void registerEntityPredicate(Symbol name, BiPredicate<Database, Long> pred) {
    datahike.tx.Registry.registerPredicate(name, pred);
  }

  /** Calls {@code listener} with every later transaction's report on {@code conn}. */
  public static void listen(Connection conn, Object key, Consumer<TxReport> listener) {
    conn.listen(key, listener);
  }

  /** Removes a listener. */
  public static boolean unlisten(Connection conn, Object key) {
    return conn.unlisten(key);
  }

  // ------------------------------------------------------------------ reading

  /**
   * Runs a Datalog query. {@code query} is an EDN string or data (vector or map form); {@code
   * inputs} bind the {@code :in} clause ({@link Database} values for {@code $} sources, plain
   * values, collections, rules). The result has Datahike's shape: a {@code Set<List<Object>>} for
   * a relation, a List for a collection or tuple find, a single value for a scalar find.
   *
   * <p>When a database input is remote, the whole query runs on its server; inputs must then be
   * data (a Java function input fails with {@code :remote/unsupported}).
   */
  @SuppressWarnings("unchecked")
  public static <T> T q(Object query, Object... inputs) {
    DatabaseBackend remote = remote(inputs);
    if (remote != null) return (T) remote.q(query, backends(inputs));
    Object form = form(query);
    QueryOptions opts = QueryOptions.DEFAULTS;
    if (form instanceof Map<?, ?> m && m.containsKey(Keyword.of("query"))) {
      Object args = m.get(Keyword.of("args"));
      List<Object> in = new ArrayList<>();
      if (args instanceof List<?> l) in.addAll(l);
      remote = remote(in.toArray());
      if (remote != null) {
        Map<Object, Object> sent = new LinkedHashMap<>(m);
        sent.put(Keyword.of("args"), backends(in.toArray()));
        return (T) remote.q(sent, List.of());
      }
      opts = queryOptions(m);
      return (T) Query.q(form(m.get(Keyword.of("query"))), unwrap(in), opts);
    }
    List<Object> in = new ArrayList<>();
    for (Object o : inputs) in.add(o);
    return (T) Query.q(form, unwrap(in), opts);
  }

  /**
   * Runs a query and returns {@code {:ret result :query-stats [...]}}: one entry per executed
   * clause with its strategy and estimated and actual row counts (Datahike's query-stats).
   */
  public static Map<Keyword, Object> queryStats(Object query, Object... inputs) {
    DatabaseBackend remote = remote(inputs);
    if (remote != null) return remote.queryStats(query, backends(inputs));
    List<Object> in = new ArrayList<>();
    for (Object o : inputs) in.add(o);
    return Query.queryStats(form(query), unwrap(in), QueryOptions.DEFAULTS);
  }

  /**
   * The plan a query ran with: per clause the strategy, estimated rows and actual rows (more than
   * Datahike shows).
   */
  public static List<Map<Keyword, Object>> explain(Object query, Object... inputs) {
    DatabaseBackend remote = remote(inputs);
    if (remote != null) return remote.explain(query, backends(inputs));
    List<Object> in = new ArrayList<>();
    for (Object o : inputs) in.add(o);
    return Query.explain(form(query), unwrap(in), QueryOptions.DEFAULTS);
  }

  /** The backend of the first input that is a database not read by the local engine, or null. */
  private static DatabaseBackend remote(Object[] inputs) {
    if (inputs == null) return null;
    for (Object o : inputs) {
      if (o instanceof Database d && !d.isLocal()) return d.backend();
    }
    return null;
  }

  /** The inputs with every Database replaced by its backend, for {@link DatabaseBackend#q}. */
  private static List<Object> backends(Object[] inputs) {
    List<Object> out = new ArrayList<>(inputs.length);
    for (Object o : inputs) out.add(o instanceof Database d ? d.backend() : o);
    return out;
  }

  /** Backend inputs back to Databases: what the local engine's backend receives. */
  static Object[] databases(List<Object> inputs) {
    Object[] out = new Object[inputs.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = inputs.get(i);
      out[i] = o instanceof Database.Local l ? Database.wrap(l.db) : o;
    }
    return out;
  }

  /** Backend inputs as engine values (local databases only). */
  static List<Object> engines(List<Object> inputs) {
    List<Object> out = new ArrayList<>(inputs.size());
    for (Object o : inputs) {
      out.add(o instanceof Database.Local l ? l.db : o instanceof Database d ? d.unwrap() : o);
    }
    return out;
  }

  private static QueryOptions queryOptions(Map<?, ?> m) {
    return new QueryOptions(
        longOr(m.get(Keyword.of("offset"))),
        longOr(m.get(Keyword.of("limit"))),
        longOr(m.get(Keyword.of("timeout"))));
  }

  private static long longOr(Object o) {
    return o instanceof Number n ? n.longValue() : -1;
  }

  private static List<Object> unwrap(List<Object> inputs) {
    List<Object> out = new ArrayList<>(inputs.size());
    for (Object o : inputs) out.add(o instanceof Database d ? d.unwrap() : o);
    return out;
  }

  /** Pulls {@code pattern} for {@code eid}; see {@link Database#pull}. */
  public static Map<Keyword, Object> pull(Database db, Object pattern, Object eid) {
    return db.pull(pattern, eid);
  }

  /** Pulls {@code pattern} for each of {@code eids}. */
  public static List<Map<Keyword, Object>> pullMany(Database db, Object pattern, List<?> eids) {
    return db.pullMany(pattern, eids);
  }

  /** The entity {@code eid}, or null. */
  public static Entity entity(Database db, Object eid) {
    return db.entity(eid);
  }

  /** The datoms of an index with the given leading components. */
  public static List<Datom> datoms(Database db, Object index, Object... components) {
    return db.datoms(index, components);
  }

  /** The datoms of an index from the given components to its end. */
  public static List<Datom> seekDatoms(Database db, Object index, Object... components) {
    return db.seekDatoms(index, components);
  }

  /** The datoms of an attribute with values in [start, end]. */
  public static List<Datom> indexRange(Database db, Object attr, Object start, Object end) {
    return db.indexRange(attr, start, end);
  }

  /** The history view. */
  public static Database history(Database db) {
    return db.history();
  }

  /** The database as of a transaction id or Date. */
  public static Database asOf(Database db, Object timePoint) {
    return db.asOf(timePoint);
  }

  /** The datoms added since a transaction id or Date. */
  public static Database since(Database db, Object timePoint) {
    return db.since(timePoint);
  }

  /** A filtered view. */
  public static Database filter(Database db, BiPredicate<Database, Datom> keep) {
    return db.filter(keep);
  }

  /** True for a filtered view. */
  public static boolean isFiltered(Database db) {
    return db.isFiltered();
  }

  /** The schema. */
  public static Map<Keyword, Map<Keyword, Object>> schema(Database db) {
    return db.schema();
  }

  /** The reverse schema. */
  public static Map<Keyword, Set<Keyword>> reverseSchema(Database db) {
    return db.reverseSchema();
  }

  /** Datahike's metrics of a database. */
  public static Map<Keyword, Object> metrics(Database db) {
    return db.metrics();
  }

  // ------------------------------------------------------------------ helpers

  /** An EDN string read into data (datahike's tags known); anything else as is. */
  static Object form(Object o) {
    return o instanceof String s ? EdnTags.read(s) : o;
  }

  /** Transaction data: an EDN string is read, a Java collection passed as is. */
  static Object txForm(Object o) {
    return form(o);
  }

  /** Internal accessor for other modules: the engine value of a database. */
  static AbstractDb engine(Database db) {
    return db.unwrap();
  }

  static Date now() {
    return new Date();
  }
}
