package datahike.server.client;

import datahike.Database;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.TxReport;
import datahike.api.Operation;
import datahike.db.DbValue;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.edn.Tagged;
import datahike.spi.DatabaseBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;

/**
 * A database value on a server, behind a {@link Database} of a {@code :remote-peer} connection:
 * each read is one request. Like a local value it does not change: the first read pins it to the
 * server's current value (its basis, the max-tx), and every later read, and every view made from
 * it, reads that same value. The server keeps recent values; an older basis is read through an
 * as-of view when the database keeps history, and fails with {@code :db/basis-unavailable}
 * otherwise.
 *
 * <p>Views ({@code history}, {@code asOf}, {@code since}) are made here without a request. An
 * {@link datahike.Entity} reads its entity's attribute map with one request ({@code /entity}, then
 * kept with this value), reverse attributes with one {@code /datoms} request each. Thread safe.
 */
final class RemoteDatabase implements DatabaseBackend {
  private static final Keyword NAME = Keyword.of("name");
  private static final Keyword CONFIG = Keyword.of("config");
  private static final Keyword BASIS_T = Keyword.of("basis-t");
  private static final Keyword VIEWS = Keyword.of("views");
  private static final Keyword MAX_TX = Keyword.of("max-tx");
  private static final Keyword MAX_EID = Keyword.of("max-eid");
  private static final Keyword HISTORY = Keyword.of("history");
  private static final Keyword AS_OF = Keyword.of("as-of");
  private static final Keyword SINCE = Keyword.of("since");
  private static final Keyword DB_ID = Keyword.of("db/id");
  private static final Keyword AVET = Keyword.of("avet");
  private static final Keyword VALUE_TYPE = Keyword.of("db/valueType");
  private static final Keyword TYPE_REF = Keyword.of("db.type/ref");
  private static final Keyword CARDINALITY = Keyword.of("db/cardinality");
  private static final Keyword MANY = Keyword.of("db.cardinality/many");
  private static final Keyword IS_COMPONENT = Keyword.of("db/isComponent");
  private static final String TAG = "datahike/DB";
  /** Entity maps kept per value. */
  private static final int ENTITIES_KEPT = 1024;

  private final RemoteClient client;

  /** {@code :name "x"} or {@code :config {...}}. */
  private final Map<Keyword, Object> target;

  /** The basis, shared with the views made from this value; empty until pinned. */
  private final AtomicReference<Long> basis;

  private final List<Object> views;

  /** The value this one is a view of, made here; null for a plain or server-described value. */
  private final RemoteDatabase parent;

  /** Known (described by the server, or learned) max-tx and max-eid; null when not yet. */
  private volatile Long maxTx;

  private volatile Long maxEid;
  private volatile Map<Keyword, Map<Keyword, Object>> schemaKept;

  @SuppressWarnings("serial")
  private final Map<Long, Map<Keyword, Object>> entities =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<Keyword, Object>> e) {
          return size() > ENTITIES_KEPT;
        }
      };

  private RemoteDatabase(
      RemoteClient client,
      Map<Keyword, Object> target,
      AtomicReference<Long> basis,
      List<Object> views,
      RemoteDatabase parent,
      Long maxTx,
      Long maxEid) {
    this.client = client;
    this.target = target;
    this.basis = basis;
    this.views = List.copyOf(views);
    this.parent = parent;
    this.maxTx = maxTx;
    this.maxEid = maxEid;
  }

  /**
   * The current value of the database {@code target} names, pinned on first read (or by whoever
   * sets {@code basis} first).
   */
  static RemoteDatabase current(
      RemoteClient client, Map<Keyword, Object> target, AtomicReference<Long> basis) {
    return new RemoteDatabase(client, target, basis, List.of(), null, null, null);
  }

  /** A database value the server described ({@code #datahike/DB {...}}). */
  static RemoteDatabase described(RemoteClient client, Object descriptor) {
    if (!(descriptor instanceof Tagged t)
        || !TAG.equals(t.tag())
        || !(t.value() instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "remote/bad-answer",
          "Expected a #datahike/DB value, got " + EdnPrinter.print(descriptor));
    }
    Map<Keyword, Object> target = new LinkedHashMap<>();
    if (m.get(NAME) != null) target.put(NAME, m.get(NAME));
    if (m.get(CONFIG) != null) target.put(CONFIG, m.get(CONFIG));
    Object b = m.get(BASIS_T);
    List<Object> views = m.get(VIEWS) instanceof List<?> l ? new ArrayList<>(l) : List.of();
    return new RemoteDatabase(
        client,
        target,
        new AtomicReference<>(b instanceof Long l ? l : null),
        views,
        null,
        m.get(MAX_TX) instanceof Long x ? x : null,
        m.get(MAX_EID) instanceof Long x ? x : null);
  }

  RemoteClient client() {
    return client;
  }

  Long basisOrNull() {
    return basis.get();
  }

  void pin(long t) {
    basis.compareAndSet(null, t);
  }

  /** The reference sent to the server: {@code #datahike/DB {...}}. */
  Tagged toRef() {
    Map<Keyword, Object> m = new LinkedHashMap<>(target);
    Long b = basis.get();
    if (b != null) m.put(BASIS_T, b);
    if (!views.isEmpty()) m.put(VIEWS, views);
    return new Tagged(TAG, m);
  }

  private RemoteDatabase plus(Object view) {
    List<Object> vs = new ArrayList<>(views);
    vs.add(view);
    return new RemoteDatabase(client, target, basis, vs, this, null, null);
  }

  private Object call(Operation op, Object... kvs) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("db", this);
    for (int i = 0; i < kvs.length; i += 2) args.put((String) kvs[i], kvs[i + 1]);
    return client.call(op, args);
  }

  static DatahikeException unsupported(String operation, String why) {
    return DatahikeException.of(
        "remote/unsupported",
        operation + " is not available on a remote database: " + why,
        "operation",
        operation);
  }

  // ------------------------------------------------------------------ pull

  @Override
  @SuppressWarnings("unchecked")
  public Map<Keyword, Object> pull(Object pattern, Object eid) {
    return (Map<Keyword, Object>) call(Operation.PULL, "pattern", pattern, "eid", eid);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids) {
    return (List<Map<Keyword, Object>>) call(Operation.PULL_MANY, "pattern", pattern, "eids", eids);
  }

  // ------------------------------------------------------------------ entity

  @Override
  public long entityId(Object eid) {
    Map<Keyword, Object> m = fetchEntity(eid);
    return m == null ? -1 : ((Number) m.get(DB_ID)).longValue();
  }

  /** The attribute map {@code /entity} answers (refs as {@code {:db/id n}}), kept by id. */
  @SuppressWarnings("unchecked")
  private Map<Keyword, Object> fetchEntity(Object eid) {
    if (eid instanceof Long id) {
      synchronized (entities) {
        Map<Keyword, Object> m = entities.get(id);
        if (m != null) return m;
      }
    }
    Map<Keyword, Object> m = (Map<Keyword, Object>) call(Operation.ENTITY, "eid", eid);
    if (m != null && m.get(DB_ID) instanceof Number n) {
      synchronized (entities) {
        entities.put(n.longValue(), m);
      }
    }
    return m;
  }

  private Map<Keyword, Object> entity(long e) {
    Map<Keyword, Object> m = fetchEntity(e);
    return m == null ? Map.of(DB_ID, e) : m;
  }

  @Override
  public Object entityGet(long e, Keyword k, LongFunction<Object> entity) {
    if (k.isReverse()) {
      Keyword straight = k.reverse();
      Set<Object> refs = new LinkedHashSet<>();
      for (Datom d : datoms(AVET, straight, e)) refs.add(entity.apply(d.e()));
      if (refs.isEmpty()) return null;
      if (isComponent(straight)) return refs.iterator().next();
      return refs;
    }
    Object v = entity(e).get(k);
    if (v == null) return null;
    boolean ref = isRef(k);
    if (v instanceof Set<?> s) {
      Set<Object> out = new LinkedHashSet<>();
      for (Object x : s) out.add(value(x, ref, entity));
      return out;
    }
    return value(v, ref, entity);
  }

  /** A value of the entity map as Entity.get answers it: references as entities. */
  private static Object value(Object v, boolean ref, LongFunction<Object> entity) {
    if ((ref || isRefShape(v)) && v instanceof Map<?, ?> m && m.get(DB_ID) instanceof Number n) {
      return entity.apply(n.longValue());
    }
    return v;
  }

  /** {@code {:db/id n}}: how the entity map writes a reference (system attributes included). */
  private static boolean isRefShape(Object v) {
    return v instanceof Map<?, ?> m && m.size() == 1 && m.get(DB_ID) instanceof Number;
  }

  @Override
  public Set<Keyword> entityKeys(long e) {
    Set<Keyword> ks = new LinkedHashSet<>(entity(e).keySet());
    ks.remove(DB_ID);
    return ks;
  }

  @Override
  public Map<Keyword, Object> entityMap(long e, boolean touch) {
    return touch ? touched(e, new LinkedHashSet<>()) : copy(entity(e));
  }

  private static Map<Keyword, Object> copy(Map<Keyword, Object> m) {
    Map<Keyword, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Keyword, Object> en : m.entrySet()) {
      Object v = en.getValue();
      out.put(en.getKey(), v instanceof Set<?> s ? new LinkedHashSet<>(s) : v);
    }
    return out;
  }

  private Map<Keyword, Object> touched(long e, Set<Long> seen) {
    seen.add(e);
    Map<Keyword, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Keyword, Object> en : entity(e).entrySet()) {
      Object v = en.getValue();
      if (en.getKey() != DB_ID && isComponent(en.getKey())) {
        if (v instanceof Set<?> s) {
          Set<Object> vs = new LinkedHashSet<>();
          for (Object x : s) vs.add(touchedRef(x, seen));
          v = vs;
        } else {
          v = touchedRef(v, seen);
        }
      } else if (v instanceof Set<?> s) {
        v = new LinkedHashSet<>(s);
      }
      out.put(en.getKey(), v);
    }
    return out;
  }

  private Object touchedRef(Object ref, Set<Long> seen) {
    if (ref instanceof Map<?, ?> m && m.get(DB_ID) instanceof Number n && !seen.contains(n.longValue())) {
      return touched(n.longValue(), seen);
    }
    return ref;
  }

  @Override
  public List<Long> entityReferrers(long e) {
    List<Long> out = new ArrayList<>();
    for (Map.Entry<Keyword, Map<Keyword, Object>> a : keptSchema().entrySet()) {
      if (!TYPE_REF.equals(a.getValue().get(VALUE_TYPE))) continue;
      for (Datom d : datoms(AVET, a.getKey(), e)) out.add(d.e());
    }
    return out;
  }

  /** The schema, read once per value (Entity needs it for every attribute). */
  private Map<Keyword, Map<Keyword, Object>> keptSchema() {
    Map<Keyword, Map<Keyword, Object>> s = schemaKept;
    if (s == null) {
      s = schema();
      schemaKept = s;
    }
    return s;
  }

  private boolean isRef(Keyword attr) {
    Map<Keyword, Object> def = keptSchema().get(attr);
    return def != null && TYPE_REF.equals(def.get(VALUE_TYPE));
  }

  private boolean isComponent(Keyword attr) {
    Map<Keyword, Object> def = keptSchema().get(attr);
    return def != null && Boolean.TRUE.equals(def.get(IS_COMPONENT));
  }

  // ------------------------------------------------------------------ index access

  @Override
  @SuppressWarnings("unchecked")
  public List<Datom> datoms(Object index, Object... components) {
    return (List<Datom>)
        call(Operation.DATOMS, "index", index, "components", Arrays.asList(components));
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Datom> seekDatoms(Object index, Object... components) {
    return (List<Datom>)
        call(Operation.SEEK_DATOMS, "index", index, "components", Arrays.asList(components));
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Datom> indexRange(Object attr, Object start, Object end) {
    return (List<Datom>) call(Operation.INDEX_RANGE, "attrid", attr, "start", start, "end", end);
  }

  // ------------------------------------------------------------------ views

  @Override
  public DatabaseBackend history() {
    return plus(HISTORY);
  }

  @Override
  public DatabaseBackend asOf(Object timePoint) {
    return plus(List.of(AS_OF, timePoint(timePoint)));
  }

  @Override
  public DatabaseBackend since(Object timePoint) {
    return plus(List.of(SINCE, timePoint(timePoint)));
  }

  /** A time point checked as the local engine checks it. */
  private static Object timePoint(Object t) {
    if (t instanceof Date) return t;
    if (t instanceof Number n) {
      long tx = n.longValue();
      if (tx < DbValue.TX0) {
        throw DatahikeException.of(
            "time-point/invalid",
            "Invalid time point " + tx + ": transaction ids start at " + DbValue.TX0,
            "time-point",
            t);
      }
      return tx;
    }
    throw DatahikeException.of(
        "time-point/invalid",
        "A time point must be a transaction id or a java.util.Date, got " + EdnPrinter.print(t),
        "time-point",
        t);
  }

  @Override
  public DatabaseBackend filter(BiPredicate<Database, Datom> keep, Database self) {
    throw unsupported("filter", "its predicate is Java code, which cannot be sent to the server");
  }

  @Override
  public boolean isFiltered() {
    return false;
  }

  @Override
  public boolean isHistory() {
    return views.contains(HISTORY);
  }

  @Override
  public TxReport with(Object txData, Map<Keyword, Object> txMeta, Database self) {
    Object tx = txData;
    if (txMeta != null) {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      m.put(Keyword.of("tx-data"), txData);
      m.put(Keyword.of("tx-meta"), txMeta);
      tx = m;
    }
    TxReport r = report(client, call(Operation.WITH, "tx-data", tx));
    return new TxReport(self, r.dbAfter(), r.txData(), r.tempids(), r.txMeta());
  }

  /**
   * Export, as the local engine writes it (see {@code datahike.ExportFormat}): the datoms of the
   * value's history view (its current datoms when it keeps no history) sorted by transaction, then
   * entity, retractions first; the system datoms of transaction 0 of attribute-ref databases left
   * out.
   */
  @Override
  public List<Datom> export() {
    List<Object> vs = new ArrayList<>();
    // Export reads the value itself, not a view of it: keep the views that make the value (with).
    for (Object v : views) if (v instanceof List<?> l && Keyword.of("with").equals(l.get(0))) vs.add(v);
    vs.add(HISTORY);
    RemoteDatabase source = new RemoteDatabase(client, target, basis, vs, null, null, null);
    List<Datom> out = new ArrayList<>();
    for (Datom d : source.datoms(Keyword.of("eavt"))) {
      // Attribute-ref databases hold attributes as entity ids (non-negative codes).
      if (d.tx() == DbValue.TX0 && d.a() >= 0) continue;
      out.add(d);
    }
    out.sort(
        Comparator.comparingLong(Datom::tx)
            .thenComparingLong(Datom::e)
            .thenComparing((a, b) -> Boolean.compare(a.added(), b.added())));
    return out;
  }

  // ------------------------------------------------------------------ queries

  @Override
  public Object q(Object query, List<Object> inputs) {
    return client.call(Operation.Q, queryArgs(query, inputs));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<Keyword, Object> queryStats(Object query, List<Object> inputs) {
    return (Map<Keyword, Object>)
        client.call(Operation.QUERY_STATS, queryArgs(query, inputs));
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Map<Keyword, Object>> explain(Object query, List<Object> inputs) {
    Map<Keyword, Object> stats =
        (Map<Keyword, Object>)
            client.call(Operation.QUERY_STATS, queryArgs(query, inputs));
    return (List<Map<Keyword, Object>>) stats.get(Keyword.of("query-stats"));
  }

  private static Map<String, Object> queryArgs(Object query, List<Object> inputs) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("query", query);
    if (!inputs.isEmpty()) args.put("inputs", inputs);
    return args;
  }

  // ------------------------------------------------------------------ schema and stats

  @Override
  @SuppressWarnings("unchecked")
  public Map<Keyword, Map<Keyword, Object>> schema() {
    return (Map<Keyword, Map<Keyword, Object>>) call(Operation.SCHEMA);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<Keyword, Set<Keyword>> reverseSchema() {
    return (Map<Keyword, Set<Keyword>>) call(Operation.REVERSE_SCHEMA);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<Keyword, Object> metrics() {
    return (Map<Keyword, Object>) call(Operation.METRICS);
  }

  /**
   * The max-tx: as the server described it; for a view made here, its parent's bounded by an
   * as-of transaction id (as the local engine's views do); for a plain value, its basis.
   */
  @Override
  public long maxTx() {
    Long known = maxTx;
    if (known != null) return known;
    long t;
    if (parent == null) {
      t = basisT();
    } else {
      t = parent.maxTx();
      Object view = views.get(views.size() - 1);
      if (view instanceof List<?> l && AS_OF.equals(l.get(0)) && l.get(1) instanceof Long asOf) {
        t = Math.min(t, asOf);
      }
    }
    maxTx = t;
    return t;
  }

  /** The max-eid of the value (views do not change it); one small request when not known. */
  @Override
  public long maxEid() {
    Long known = maxEid;
    if (known != null) return known;
    long e = parent != null ? parent.maxEid() : describe()[1];
    maxEid = e;
    return e;
  }

  /**
   * The basis: the max-tx of the database value this one reads (before views); pins the value
   * with one small request when no read has pinned it yet.
   */
  long basisT() {
    Long b = basis.get();
    if (b == null) {
      describe();
      b = basis.get();
    }
    return b;
  }

  /** Asks the server to describe this plain value (and so pins it): {max-tx, max-eid}. */
  private long[] describe() {
    RemoteDatabase plain = new RemoteDatabase(client, target, basis, views, null, null, null);
    Object d = plain.call(Operation.HISTORY);
    if (!(d instanceof Tagged t) || !(t.value() instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "remote/bad-answer", "Expected a #datahike/DB value, got " + EdnPrinter.print(d));
    }
    long tx = ((Number) m.get(MAX_TX)).longValue();
    long eid = ((Number) m.get(MAX_EID)).longValue();
    if (views.isEmpty()) maxTx = tx;
    maxEid = eid;
    return new long[] {tx, eid};
  }

  @Override
  public String toString() {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(Keyword.of("server"), client.peer.url().toString());
    if (target.get(NAME) != null) m.put(NAME, target.get(NAME));
    Long b = basis.get();
    if (b != null) m.put(BASIS_T, b);
    if (!views.isEmpty()) m.put(VIEWS, views);
    if (maxTx != null) m.put(MAX_TX, maxTx);
    if (maxEid != null) m.put(MAX_EID, maxEid);
    return "#datahike/DB " + EdnPrinter.print(m);
  }

  // ------------------------------------------------------------------ reports

  /** A transaction report from the server's answer, its values read on the server. */
  @SuppressWarnings("unchecked")
  static TxReport report(RemoteClient client, Object answer) {
    if (!(answer instanceof Map<?, ?> m)) {
      throw DatahikeException.of(
          "remote/bad-answer", "Expected a transaction report, got " + EdnPrinter.print(answer));
    }
    List<Datom> txData = new ArrayList<>();
    if (m.get(Keyword.of("tx-data")) instanceof Collection<?> l) {
      for (Object d : l) txData.add((Datom) d);
    }
    Map<Object, Long> tempids = new LinkedHashMap<>();
    if (m.get(Keyword.of("tempids")) instanceof Map<?, ?> t) {
      for (Map.Entry<?, ?> e : t.entrySet()) {
        tempids.put(e.getKey(), ((Number) e.getValue()).longValue());
      }
    }
    Object meta = m.get(Keyword.of("tx-meta"));
    return new TxReport(
        Database.of(described(client, m.get(Keyword.of("db-before")))),
        Database.of(described(client, m.get(Keyword.of("db-after")))),
        java.util.Collections.unmodifiableList(txData),
        java.util.Collections.unmodifiableMap(tempids),
        meta == null ? Map.of() : java.util.Collections.unmodifiableMap((Map<Keyword, Object>) meta));
  }
}
