package datahike;

import datahike.db.AbstractDb;
import datahike.db.Db;
import datahike.db.DbValue;
import datahike.db.IndexType;
import datahike.db.Iterables;
import datahike.db.ViewDb;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.pull.Pull;
import datahike.query.Query;
import datahike.query.QueryOptions;
import datahike.schema.Attribute;
import datahike.schema.SchemaKeys;
import datahike.spi.DatabaseBackend;
import datahike.tx.Transactor;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * An immutable database value: the state after some transaction, or a view of it (history, as-of,
 * since, filtered). Reading never blocks on writers and never sees later writes; hold a Database as
 * long as you like. Obtain one from {@link Connection#db()}.
 *
 * <p>Entity ids may be given as numbers, idents ({@code :my/ident}) or lookup refs ({@code
 * [:person/email "a@b.c"]}); patterns and components as EDN strings or Java data.
 *
 * <p>The value is read by the local engine, or, for a connection configured with {@code
 * :remote-peer}, on a server (each read one request; see {@link datahike.spi}). The methods and
 * their results are the same; what cannot cross the wire (a Java predicate in {@link #filter})
 * fails there with {@code :remote/unsupported}.
 */
public final class Database {
  private final DatabaseBackend backend;

  private Database(DatabaseBackend backend) {
    this.backend = backend;
  }

  /** Internal: wraps an engine value. */
  public static Database wrap(AbstractDb db) {
    return new Database(new Local(db));
  }

  /**
   * For connection providers ({@link datahike.spi}): a database value read through {@code
   * backend}. Not part of the application API.
   */
  public static Database of(DatabaseBackend backend) {
    if (backend == null) throw new NullPointerException("backend");
    return new Database(backend);
  }

  /**
   * Internal: the engine value behind this database. Not part of the public API. A database read
   * through a connection provider has none: {@code :remote/unsupported}.
   */
  public AbstractDb unwrap() {
    if (backend instanceof Local l) return l.db;
    throw DatahikeException.of(
        "remote/unsupported",
        "unwrap is not available on a remote database: it has no local engine value (" + backend
            + ")",
        "operation",
        "unwrap");
  }

  /** What this value is read through. */
  DatabaseBackend backend() {
    return backend;
  }

  /** True when the local engine reads this value. */
  boolean isLocal() {
    return backend instanceof Local;
  }

  // ------------------------------------------------------------------ pull and entity

  /**
   * Pulls {@code pattern} (EDN string or data such as {@code [:name {:friend [:name]}]}) for the
   * entity {@code eid}; null when the entity has no datoms.
   */
  public Map<Keyword, Object> pull(Object pattern, Object eid) {
    return backend.pull(pattern, eid);
  }

  /** Pulls {@code pattern} for each of {@code eids}, in order. */
  public List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids) {
    return backend.pullMany(pattern, eids);
  }

  /** The entity {@code eid} as a lazy, navigable object; null when nothing is found. */
  public Entity entity(Object eid) {
    // Like Datahike, anything that is not an id, ident or lookup ref names no entity.
    if (eid == null || eid instanceof String) return null;
    long e = backend.entityId(eid);
    if (e < 0) return null;
    return new Entity(this, e);
  }

  // ------------------------------------------------------------------ index access

  /**
   * The datoms of {@code index} ({@code :eavt}, {@code :aevt}, {@code :avet}) whose leading
   * components equal {@code components} (in the index's component order; ids may be lookup refs).
   */
  public List<Datom> datoms(Object index, Object... components) {
    return backend.datoms(index, components);
  }

  /** The datoms of {@code index} from the first one not less than {@code components} to the end. */
  public List<Datom> seekDatoms(Object index, Object... components) {
    return backend.seekDatoms(index, components);
  }

  /**
   * The datoms of attribute {@code attr} with values in {@code [start, end]} (null bounds are
   * open), in value order: Datahike's index-range.
   */
  public List<Datom> indexRange(Object attr, Object start, Object end) {
    return backend.indexRange(attr, start, end);
  }

  // ------------------------------------------------------------------ views

  /** The history view: current and retracted datoms, with their added flag. */
  public Database history() {
    return new Database(backend.history());
  }

  /**
   * The database as of a time point: a transaction id (a Long at least 536870912) or a {@link
   * Date} (compared with each transaction's {@code :db/txInstant}).
   */
  public Database asOf(Object timePoint) {
    return new Database(backend.asOf(timePoint));
  }

  /** The datoms asserted after a time point (tx id or Date) that still hold. */
  public Database since(Object timePoint) {
    return new Database(backend.since(timePoint));
  }

  /**
   * Only the datoms {@code keep} accepts (it receives this unfiltered database and the datom).
   * Local databases only: a predicate cannot be sent to a server ({@code :remote/unsupported}).
   */
  public Database filter(BiPredicate<Database, Datom> keep) {
    return new Database(backend.filter(keep, this));
  }

  /** True when this is a filtered view. */
  public boolean isFiltered() {
    return backend.isFiltered();
  }

  /** True when this is a history view. */
  public boolean isHistory() {
    return backend.isHistory();
  }

  /** The database as if {@code txData} had been transacted (nothing is written). */
  public TxReport with(Object txData) {
    return with(txData, null);
  }

  /** As {@link #with(Object)}, with transaction metadata. */
  public TxReport with(Object txData, Map<Keyword, Object> txMeta) {
    return backend.with(txData, txMeta, this);
  }

  /**
   * Every datom of this database for export, as Datahike's export-db writes them: the history (or
   * current state without history) sorted by transaction then entity. Feed them to {@link
   * Connection#loadEntities} of an empty database, in any backend, to move the database.
   */
  public List<Datom> export() {
    return backend.export();
  }

  // ------------------------------------------------------------------ schema and stats

  /** The schema: attribute ident → definition. */
  public Map<Keyword, Map<Keyword, Object>> schema() {
    return backend.schema();
  }

  /** Datahike's reverse schema: property → idents having it. */
  public Map<Keyword, Set<Keyword>> reverseSchema() {
    return backend.reverseSchema();
  }

  /** The id of the last transaction this database includes. */
  public long maxTx() {
    return backend.maxTx();
  }

  /** The largest entity id in use (not counting transactions). */
  public long maxEid() {
    return backend.maxEid();
  }

  /**
   * Datahike's metrics: {@code :count} (current datoms), {@code :avet-count}, {@code
   * :per-attr-counts}, {@code :per-entity-counts}, and {@code :temporal-count} when history is
   * kept.
   */
  public Map<Keyword, Object> metrics() {
    return backend.metrics();
  }

  @Override
  public String toString() {
    return backend.toString();
  }

  // ================================================================== the local engine

  /** A value of the local engine: what every method above does for local databases. */
  static final class Local implements DatabaseBackend {
    final AbstractDb db;

    Local(AbstractDb db) {
      this.db = db;
    }

    // ---------------------------------------------------------------- pull and entity

    @Override
    public Map<Keyword, Object> pull(Object pattern, Object eid) {
      return Pull.pull(db, Datahike.form(pattern), eid);
    }

    @Override
    public List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids) {
      return Pull.pullMany(db, Datahike.form(pattern), eids);
    }

    @Override
    public long entityId(Object eid) {
      return db.entid(eid);
    }

    @Override
    public Object entityGet(long id, Keyword k, LongFunction<Object> entity) {
      if (k.isReverse()) {
        Keyword straight = k.reverse();
        int a = db.attrCode(straight);
        Attribute at = db.attribute(a);
        Set<Object> refs = new LinkedHashSet<>();
        for (Datom x : db.search(Db.ANY, a, id, Db.ANY)) refs.add(entity.apply(x.e));
        if (refs.isEmpty()) return null;
        if (at != null && at.component()) return refs.iterator().next();
        return refs;
      }
      int a = db.attrCode(k);
      if (a == Db.NO_ATTR) return null;
      Attribute at = db.attribute(a);
      boolean many = at != null && at.many();
      boolean ref = at != null && at.isRef();
      Set<Object> vals = new LinkedHashSet<>();
      for (Datom x : db.search(id, a, null, Db.ANY)) {
        Object v = ref ? entity.apply((Long) x.v) : x.v;
        if (!many) return v;
        vals.add(v);
      }
      return vals.isEmpty() ? null : vals;
    }

    @Override
    public Set<Keyword> entityKeys(long id) {
      Set<Keyword> ks = new LinkedHashSet<>();
      for (Datom x : db.search(id, Db.ANY_A, null, Db.ANY)) ks.add(db.attrIdent(x.a));
      return ks;
    }

    @Override
    public Map<Keyword, Object> entityMap(long id, boolean touch) {
      return entityMap(id, touch, new LinkedHashSet<>());
    }

    private Map<Keyword, Object> entityMap(long id, boolean touchComponents, Set<Long> seen) {
      seen.add(id);
      Map<Keyword, Object> m = new LinkedHashMap<>();
      m.put(SchemaKeys.DB_ID, id);
      for (Datom x : db.search(id, Db.ANY_A, null, Db.ANY)) {
        Keyword k = db.attrIdent(x.a);
        Attribute at = db.attribute(x.a);
        Object v = x.v;
        if (at != null && at.isRef()) {
          long r = (Long) v;
          v =
              touchComponents && at.component() && !seen.contains(r)
                  ? entityMap(r, true, seen)
                  : Map.of(SchemaKeys.DB_ID, r);
        }
        if (at != null && at.many()) {
          @SuppressWarnings("unchecked")
          Set<Object> s = (Set<Object>) m.computeIfAbsent(k, kk -> new LinkedHashSet<>());
          s.add(v);
        } else {
          m.put(k, v);
        }
      }
      return m;
    }

    @Override
    public List<Long> entityReferrers(long id) {
      List<Long> out = new ArrayList<>();
      for (Attribute r : db.schema().refs()) {
        for (Datom x : db.search(Db.ANY, r.code(), id, Db.ANY)) out.add(x.e);
      }
      return out;
    }

    // ---------------------------------------------------------------- index access

    @Override
    public List<Datom> datoms(Object index, Object... components) {
      IndexType idx = IndexType.of(index);
      Key k = key(idx, components);
      if (k == null) return List.of();
      return publicAvet(idx, db.datoms(idx, k.e, k.a, k.v, k.tx));
    }

    @Override
    public List<Datom> seekDatoms(Object index, Object... components) {
      IndexType idx = IndexType.of(index);
      Key k = key(idx, components);
      if (k == null) return List.of();
      Datom from = new Datom(k.e, k.a, k.v, 0, true);
      Iterable<Datom> all = db.datoms(idx, Db.ANY, Db.ANY_A, null, Db.ANY);
      datahike.index.DatomOrder order = datahike.index.DatomOrder.valueOf(idx.name());
      return publicAvet(idx, Iterables.filter(all, d -> order.compare(d, from) >= 0));
    }

    @Override
    public List<Datom> indexRange(Object attr, Object start, Object end) {
      int a = db.attrCode(attr);
      if (a == Db.NO_ATTR) return List.of();
      List<Datom> out = new ArrayList<>();
      for (Datom d : db.valueRange(a, start, end)) out.add(d);
      return out;
    }

    private List<Datom> publicAvet(IndexType idx, Iterable<Datom> ds) {
      List<Datom> out = new ArrayList<>();
      if (idx != IndexType.AVET) {
        for (Datom d : ds) out.add(d);
        return out;
      }
      for (Datom d : ds) {
        Attribute at = db.attribute(d.a);
        if (at != null && at.inAvet()) out.add(d);
      }
      return out;
    }

    private record Key(long e, int a, Object v, long tx) {}

    /** Resolves index components to (e, a, v, tx); null when they can match nothing. */
    private Key key(IndexType idx, Object[] c) {
      long e = Db.ANY;
      int a = Db.ANY_A;
      Object v = null;
      long tx = Db.ANY;
      int n = c == null ? 0 : c.length;
      Object ce = null;
      Object ca = null;
      Object cv = null;
      Object ct = n > 3 ? c[3] : null;
      switch (idx) {
        case EAVT:
          ce = n > 0 ? c[0] : null;
          ca = n > 1 ? c[1] : null;
          cv = n > 2 ? c[2] : null;
          break;
        case AEVT:
          ca = n > 0 ? c[0] : null;
          ce = n > 1 ? c[1] : null;
          cv = n > 2 ? c[2] : null;
          break;
        default:
          ca = n > 0 ? c[0] : null;
          cv = n > 1 ? c[1] : null;
          ce = n > 2 ? c[2] : null;
      }
      if (ca != null) {
        a = db.attrCode(ca);
        if (a == Db.NO_ATTR) return null;
      }
      if (ce != null) {
        e = db.entid(ce);
        if (e < 0) return null;
      }
      if (cv != null) {
        Attribute at = a == Db.ANY_A ? null : db.attribute(a);
        if (at != null && at.isRef() && !(cv instanceof Long)) {
          long ve = db.entid(cv);
          if (ve < 0) return null;
          cv = ve;
        }
        v = cv;
      }
      if (ct instanceof Number t) tx = t.longValue();
      // Components after a wildcard cannot narrow a prefix scan.
      if (idx == IndexType.EAVT && e < 0) {
        a = Db.ANY_A;
        v = null;
      }
      if (idx == IndexType.AEVT && a == Db.ANY_A) {
        e = Db.ANY;
        v = null;
      }
      if (idx == IndexType.AVET && a == Db.ANY_A) {
        v = null;
        e = Db.ANY;
      }
      return new Key(e, a, v, tx);
    }

    // ---------------------------------------------------------------- views

    @Override
    public DatabaseBackend history() {
      return new Local(ViewDb.of(db).history());
    }

    @Override
    public DatabaseBackend asOf(Object timePoint) {
      long max = timePoint instanceof Date ? Long.MAX_VALUE : txPoint(timePoint);
      return new Local(ViewDb.of(db).asOf(txFilter(timePoint, true), max));
    }

    @Override
    public DatabaseBackend since(Object timePoint) {
      return new Local(ViewDb.of(db).since(txFilter(timePoint, false)));
    }

    @Override
    public DatabaseBackend filter(BiPredicate<Database, Datom> keep, Database unfiltered) {
      return new Local(ViewDb.of(db).filter((d, datom) -> keep.test(unfiltered, datom)));
    }

    @Override
    public boolean isFiltered() {
      return db instanceof ViewDb v && v.isFiltered();
    }

    @Override
    public boolean isHistory() {
      return db.isHistory();
    }

    private static long txPoint(Object t) {
      if (t instanceof Number n) {
        long tx = n.longValue();
        if (tx < DbValue.TX0) {
          throw DatahikeException.of(
              "time-point/invalid",
              "Invalid time point " + tx + ": transaction ids start at " + DbValue.TX0,
              "time-point", t);
        }
        return tx;
      }
      throw DatahikeException.of(
          "time-point/invalid",
          "A time point must be a transaction id or a java.util.Date, got " + EdnPrinter.print(t),
          "time-point", t);
    }

    private LongPredicate txFilter(Object t, boolean upTo) {
      if (t instanceof Date date) {
        Set<Long> txs = new HashSet<>();
        DbValue base = db.base();
        int a = base.attrCode(SchemaKeys.TX_INSTANT);
        for (Datom d : base.search(Db.ANY, a, null, Db.ANY)) {
          if (d.v instanceof Date when && (upTo ? !when.after(date) : when.after(date))) txs.add(d.e);
        }
        return txs::contains;
      }
      long tx = txPoint(t);
      return upTo ? x -> x <= tx : x -> x > tx;
    }

    @Override
    public TxReport with(Object txData, Map<Keyword, Object> txMeta, Database self) {
      DbValue base = db.base();
      Transactor.Result r = Transactor.transact(base, Datahike.txForm(txData), txMeta);
      return new TxReport(self, wrap(r.dbAfter()), r.txData(), r.tempids(), r.txMeta());
    }

    @Override
    public List<Datom> export() {
      return ExportFormat.datoms(new Database(this));
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Object q(Object query, List<Object> inputs) {
      return Datahike.q(query, Datahike.databases(inputs));
    }

    @Override
    public Map<Keyword, Object> queryStats(Object query, List<Object> inputs) {
      return Query.queryStats(Datahike.form(query), Datahike.engines(inputs), QueryOptions.DEFAULTS);
    }

    @Override
    public List<Map<Keyword, Object>> explain(Object query, List<Object> inputs) {
      return Query.explain(Datahike.form(query), Datahike.engines(inputs), QueryOptions.DEFAULTS);
    }

    // ---------------------------------------------------------------- schema and stats

    @Override
    public Map<Keyword, Map<Keyword, Object>> schema() {
      return db.schema().toMap();
    }

    @Override
    public Map<Keyword, Set<Keyword>> reverseSchema() {
      return db.schema().reverse();
    }

    @Override
    public long maxTx() {
      return db.maxTx();
    }

    @Override
    public long maxEid() {
      return db.base().maxEid();
    }

    @Override
    public Map<Keyword, Object> metrics() {
      Map<Keyword, Object> m = new LinkedHashMap<>();
      Map<Object, Long> perAttr = new TreeMap<>(datahike.index.Values::compare);
      Map<Long, Long> perEntity = new TreeMap<>();
      long count = 0;
      long avet = 0;
      for (Datom d : db.datoms(IndexType.EAVT, Db.ANY, Db.ANY_A, null, Db.ANY)) {
        count++;
        Object a = db.attrIdent(d.a);
        perAttr.merge(a, 1L, Long::sum);
        perEntity.merge(d.e, 1L, Long::sum);
        Attribute at = db.attribute(d.a);
        if (at != null && at.inAvet()) avet++;
      }
      m.put(Keyword.of("count"), count);
      m.put(Keyword.of("avet-count"), avet);
      m.put(Keyword.of("per-attr-counts"), perAttr);
      m.put(Keyword.of("per-entity-counts"), perEntity);
      DbValue base = db.base();
      if (base.flags().keepHistory()) {
        m.put(Keyword.of("temporal-count"), base.temporalTree(IndexType.EAVT).size());
      }
      return m;
    }

    /** Local values are the same value when they wrap the same engine value. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Local l && l.db == db;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(db);
    }

    @Override
    public String toString() {
      return "#datahike/DB {:max-tx " + maxTx() + " :max-eid " + maxEid() + "}";
    }
  }
}
