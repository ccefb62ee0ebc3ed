package datahike.server;

import datahike.Config;
import datahike.Connection;
import datahike.Database;
import datahike.Datahike;
import datahike.Entity;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.db.EdnTags;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.edn.Tagged;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one remote {@link Operation} with the arguments of a request body, against the server's
 * {@link Databases}, and returns the result as wire data: database values become {@link DbRef}
 * descriptors, transaction reports maps, entities their attribute maps.
 *
 * <p>A body is a map from argument names (as {@link Operation#args()} lists them, e.g. {@code
 * :tx-data}) to values. {@code config} arguments are configuration maps (or EDN strings); {@code
 * conn} and {@code db} arguments are {@link DbRef}s; varargs ({@code inputs}, {@code components})
 * are vectors. Query inputs that are tagged {@code #datahike/DB} references are databases.
 * Transaction data may be given in Datahike's map form {@code {:tx-data [...] :tx-meta {...}}}. A
 * query may be given in Datahike's map form {@code {:query q :args [...] :offset n :limit n
 * :timeout ms}}; the server's {@code :query-timeout-ms} caps every query's timeout.
 */
final class Api {
  private static final Keyword QUERY = Keyword.of("query");
  private static final Keyword ARGS = Keyword.of("args");
  private static final Keyword OFFSET = Keyword.of("offset");
  private static final Keyword LIMIT = Keyword.of("limit");
  private static final Keyword TIMEOUT = Keyword.of("timeout");
  private static final Keyword TX_DATA = Keyword.of("tx-data");
  private static final Keyword TX_META = Keyword.of("tx-meta");
  private static final Keyword DB_BEFORE = Keyword.of("db-before");
  private static final Keyword DB_AFTER = Keyword.of("db-after");
  private static final Keyword TEMPIDS = Keyword.of("tempids");

  /** Data arguments that may be left out (null). */
  private static final Set<String> OPTIONAL = Set.of("start", "end", "remove-before");

  private final Databases dbs;
  private final ServerConfig cfg;

  Api(Databases dbs, ServerConfig cfg) {
    this.dbs = dbs;
    this.cfg = cfg;
  }

  /** State of one call: the basis of each database resolved without one, in argument order. */
  static final class Call {
    final List<Long> basis = new ArrayList<>();
  }

  /** Runs {@code op} with the request body {@code body} (a map, or null for no arguments). */
  Object call(Operation op, Object body, Call call) {
    Map<String, Object> args = args(op, body);
    switch (op) {
      case CREATE_DATABASE:
        {
          requireCreate(op);
          Config c = config(args);
          Datahike.createDatabase(c);
          dbs.register(c);
          return c.toMap();
        }
      case DELETE_DATABASE:
        {
          requireCreate(op);
          Config c = config(args);
          dbs.forget(c);
          Datahike.deleteDatabase(c);
          return null;
        }
      case DATABASE_EXISTS:
        {
          Config c = config(args);
          return dbs.serves(c) && Datahike.databaseExists(c);
        }
      case TRANSACT:
        {
          DbRef ref = DbRef.parse(args.get("conn"), "conn", true);
          Databases.Open o = dbs.open(dbs.config(ref));
          Object tx = args.get("tx-data");
          Map<Keyword, Object> meta = null;
          if (tx instanceof Map<?, ?> m && m.containsKey(TX_DATA)) {
            meta = meta(m.get(TX_META));
            tx = m.get(TX_DATA);
          }
          TxReport r = o.conn.transact(tx, meta);
          o.remember(r.dbBefore());
          o.remember(r.dbAfter());
          return report(ref, ref, r);
        }
      case LOAD_ENTITIES:
        {
          DbRef ref = DbRef.parse(args.get("conn"), "conn", true);
          Databases.Open o = dbs.open(dbs.config(ref));
          TxReport r = Datahike.loadEntities(o.conn, args.get("entities"));
          o.remember(r.dbAfter());
          return report(ref, ref, r);
        }
      case Q:
        return query(args, call);
      case QUERY_STATS:
        {
          long timeout = timeout(null);
          Object form = form(args.get("query"));
          if (timeout > 0) form = withTimeout(form, timeout);
          List<Object> inputs = inputs(list(args, "inputs"), call);
          return Datahike.queryStats(form, inputs.toArray());
        }
      case PULL:
        return db(args, call).pull(args.get("pattern"), args.get("eid"));
      case PULL_MANY:
        {
          Database db = db(args, call);
          return db.pullMany(args.get("pattern"), list(args, "eids"));
        }
      case ENTITY:
        {
          Entity e = db(args, call).entity(args.get("eid"));
          return e == null ? null : e.toMap();
        }
      case DATOMS:
        {
          Database db = db(args, call);
          return db.datoms(args.get("index"), list(args, "components").toArray());
        }
      case SEEK_DATOMS:
        {
          Database db = db(args, call);
          return db.seekDatoms(args.get("index"), list(args, "components").toArray());
        }
      case INDEX_RANGE:
        return db(args, call).indexRange(args.get("attrid"), args.get("start"), args.get("end"));
      case SCHEMA:
        return db(args, call).schema();
      case REVERSE_SCHEMA:
        return db(args, call).reverseSchema();
      case METRICS:
        return db(args, call).metrics();
      case HISTORY:
        return view(args, call, new DbRef.History());
      case AS_OF:
        return view(args, call, new DbRef.AsOf(timePoint(args)));
      case SINCE:
        return view(args, call, new DbRef.Since(timePoint(args)));
      case WITH:
        {
          Databases.Resolved r = resolve(args.get("db"), "db", call);
          Object tx = args.get("tx-data");
          Map<Keyword, Object> meta = null;
          if (tx instanceof Map<?, ?> m && m.containsKey(TX_DATA)) {
            meta = meta(m.get(TX_META));
            tx = m.get(TX_DATA);
          }
          TxReport rep = r.value().with(tx, meta);
          return report(r.ref(), r.ref().plus(new DbRef.With(tx, meta)), rep);
        }
      case GC_STORAGE:
        {
          DbRef ref = DbRef.parse(args.get("conn"), "conn", true);
          Connection conn = dbs.open(dbs.config(ref)).conn;
          Object before = args.get("remove-before");
          if (before != null && !(before instanceof Date)) {
            throw ServerException.badRequest(
                "server/bad-argument",
                "remove-before must be an #inst",
                "argument",
                "remove-before");
          }
          return Datahike.gcStorage(conn, before == null ? new Date() : (Date) before);
        }
      default:
        throw ServerException.of(
            404,
            "server/not-remote",
            "Operation " + op.javaName() + " is not available remotely",
            "operation",
            op.javaName());
    }
  }

  // ------------------------------------------------------------------ arguments

  /** The body as a map by argument name, checked against the operation's arguments. */
  private static Map<String, Object> args(Operation op, Object body) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (body != null && !(body instanceof Map)) {
      throw ServerException.badRequest(
          "server/bad-body",
          "The body of "
              + op.route()
              + " must be a map of arguments by name, e.g. {"
              + argList(op)
              + "}");
    }
    Map<?, ?> m = body == null ? Map.of() : (Map<?, ?>) body;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String name =
          e.getKey() instanceof Keyword k
              ? k.fullName()
              : e.getKey() instanceof String s ? s : String.valueOf(e.getKey());
      if (name.startsWith(":")) name = name.substring(1);
      boolean known = false;
      for (Operation.Arg a : op.args()) known |= a.name().equals(name);
      if (!known) {
        throw ServerException.badRequest(
            "server/unknown-argument",
            op.route() + " takes no argument " + name + "; its arguments are " + argList(op),
            "argument",
            name);
      }
      out.put(name, e.getValue());
    }
    for (Operation.Arg a : op.args()) {
      // Data arguments must be given but may be nil (an entity id of nil names no entity);
      // databases, connections and configurations must name something.
      boolean absent =
          a.type() == Operation.ArgType.DATA
              ? !out.containsKey(a.name())
              : out.get(a.name()) == null;
      if (!optional(a) && absent) {
        throw ServerException.badRequest(
            "server/missing-argument",
            op.route() + " needs argument " + a.name() + "; its arguments are " + argList(op),
            "argument",
            a.name());
      }
    }
    return out;
  }

  /** True for arguments a body may leave out: varargs, and index-range's and gc's bounds. */
  static boolean optional(Operation.Arg a) {
    return a.type() == Operation.ArgType.VARARGS
        || (a.type() == Operation.ArgType.DATA && OPTIONAL.contains(a.name()));
  }

  private static String argList(Operation op) {
    StringBuilder sb = new StringBuilder();
    for (Operation.Arg a : op.args()) {
      if (sb.length() > 0) sb.append(' ');
      sb.append(':').append(a.name());
    }
    return sb.toString();
  }

  private static List<?> list(Map<String, Object> args, String name) {
    Object v = args.get(name);
    if (v == null) return List.of();
    if (v instanceof List<?> l) return l;
    if (v instanceof java.util.Collection<?> c) return new ArrayList<>(c);
    throw ServerException.badRequest(
        "server/bad-argument",
        "Argument " + name + " must be a vector, got " + DbRef.abbreviate(EdnPrinter.print(v)),
        "argument",
        name);
  }

  private static Config config(Map<String, Object> args) {
    Object v = args.get("config");
    if (v instanceof String s) return DbRef.strip(Config.parse(s));
    if (v instanceof Map<?, ?> m) return DbRef.config(m);
    throw ServerException.badRequest(
        "server/bad-argument", "Argument config must be a configuration map", "argument", "config");
  }

  @SuppressWarnings("unchecked")
  private static Map<Keyword, Object> meta(Object m) {
    if (m == null) return null;
    if (m instanceof Map<?, ?>) return (Map<Keyword, Object>) m;
    throw ServerException.badRequest(
        "server/bad-argument", ":tx-meta must be a map", "argument", "tx-meta");
  }

  private Object timePoint(Map<String, Object> args) {
    Object t = args.get("time-point");
    if (t instanceof Long || t instanceof Date) return t;
    throw ServerException.badRequest(
        "server/bad-argument",
        "time-point must be a transaction id or an #inst",
        "argument",
        "time-point");
  }

  private void requireCreate(Operation op) {
    if (!cfg.allowCreate()) {
      throw ServerException.of(
          403,
          "server/create-disabled",
          op.route() + " is disabled: the server is not configured with :allow-create true",
          "operation",
          op.javaName());
    }
  }

  // ------------------------------------------------------------------ databases

  private Databases.Resolved resolve(Object form, String argName, Call call) {
    DbRef ref = DbRef.parse(form, argName, false);
    Databases.Resolved r = dbs.resolve(ref);
    if (ref.basisT() == null) call.basis.add(r.ref().basisT());
    return r;
  }

  private Database db(Map<String, Object> args, Call call) {
    return resolve(args.get("db"), "db", call).value();
  }

  private Object view(Map<String, Object> args, Call call, DbRef.View view) {
    Databases.Resolved r = resolve(args.get("db"), "db", call);
    Database v = view.apply(r.value());
    return r.ref().plus(view).describe(v);
  }

  private List<Object> inputs(List<?> in, Call call) {
    List<Object> out = new ArrayList<>(in.size());
    for (Object o : in) {
      if (o instanceof Tagged t && DbRef.TAG.equals(t.tag())) {
        out.add(resolve(t, "inputs", call).value());
      } else {
        out.add(o);
      }
    }
    return out;
  }

  private static Map<Keyword, Object> report(DbRef before, DbRef after, TxReport r) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(DB_BEFORE, pinnedIfPlain(before, r.dbBefore()).describe(r.dbBefore()));
    m.put(DB_AFTER, pinnedIfPlain(after, r.dbAfter()).describe(r.dbAfter()));
    m.put(TX_DATA, r.txData());
    m.put(TEMPIDS, r.tempids());
    m.put(TX_META, r.txMeta());
    return m;
  }

  /** A connection's reference pinned to a value it produced; view references stay as they are. */
  private static DbRef pinnedIfPlain(DbRef ref, Database value) {
    return ref.basisT() == null && ref.views().isEmpty() ? ref.pinned(value.maxTx()) : ref;
  }

  // ------------------------------------------------------------------ queries

  private Object query(Map<String, Object> args, Call call) {
    Object q = args.get("query");
    List<?> in = list(args, "inputs");
    Map<Keyword, Object> m = new LinkedHashMap<>();
    Object clientTimeout = null;
    if (q instanceof Map<?, ?> qm && qm.containsKey(QUERY)) {
      if (!in.isEmpty()) {
        throw ServerException.badRequest(
            "server/bad-argument",
            "Give query inputs either in :inputs or in the query map's :args, not both",
            "argument",
            "inputs");
      }
      Object a = qm.get(ARGS);
      in = a == null ? List.of() : a instanceof List<?> l ? l : List.of(a);
      m.put(QUERY, qm.get(QUERY));
      if (qm.get(OFFSET) != null) m.put(OFFSET, qm.get(OFFSET));
      if (qm.get(LIMIT) != null) m.put(LIMIT, qm.get(LIMIT));
      clientTimeout = qm.get(TIMEOUT);
    } else {
      m.put(QUERY, q);
    }
    m.put(ARGS, inputs(in, call));
    long timeout = timeout(clientTimeout);
    if (timeout > 0) m.put(TIMEOUT, timeout);
    return Datahike.q(m);
  }

  /** The timeout a query runs with: the client's, capped by the server's; -1 for none. */
  private long timeout(Object client) {
    long c = client instanceof Number n && n.longValue() > 0 ? n.longValue() : -1;
    long s = cfg.queryTimeoutMs();
    if (s <= 0) return c;
    return c > 0 ? Math.min(c, s) : s;
  }

  private static Object form(Object query) {
    return query instanceof String s ? EdnTags.read(s) : query;
  }

  /** A query form in map form with {@code :timeout ms} (Datahike's map-form query key). */
  private static Object withTimeout(Object form, long timeout) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    if (form instanceof Map<?, ?> fm) {
      for (Map.Entry<?, ?> e : fm.entrySet()) m.put((Keyword) e.getKey(), e.getValue());
      Object t = m.get(TIMEOUT);
      if (t instanceof Number n && n.longValue() > 0 && n.longValue() < timeout) return form;
    } else if (form instanceof List<?> l) {
      Keyword current = null;
      List<Object> items = null;
      for (Object o : l) {
        if (o instanceof Keyword k) {
          if (current != null) m.put(current, items);
          current = k;
          items = new ArrayList<>();
        } else if (current == null) {
          return form;
        } else {
          items.add(o);
        }
      }
      if (current != null) m.put(current, items);
    } else {
      return form;
    }
    m.put(TIMEOUT, timeout);
    return m;
  }
}
