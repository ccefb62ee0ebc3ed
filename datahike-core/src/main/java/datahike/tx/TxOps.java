package datahike.tx;

import static datahike.schema.SchemaKeys.*;

import datahike.Database;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.TxFunction;
import datahike.db.Db;
import datahike.db.DbValue;
import datahike.db.ViewDb;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.index.Values;
import datahike.schema.Attribute;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * The built-in transaction operations ({@code :db/add}, {@code :db/retract}, retractEntity,
 * retractAttribute, cas, purge, entity-spec checks) and calls of transaction functions registered
 * from Java: Datahike's {@code apply-db-op}. Each returns further operations to run next (component
 * cascades, a function's result), or null. Internal.
 */
final class TxOps {
  static final Keyword ENSURE_ATTRS = Keyword.of("db.ensure/attrs");
  static final Keyword ENSURE_PREDS = Keyword.of("db.ensure/preds");
  private static final Keyword RETRACT_ATTRIBUTE = Keyword.of("db.fn/retractAttribute");
  private static final Keyword RETRACT_ENTITY_FN = Keyword.of("db.fn/retractEntity");
  private static final Keyword RETRACT_ENTITY = Keyword.of("db/retractEntity");
  private static final Keyword CAS_FN = Keyword.of("db.fn/cas");
  private static final Keyword CAS = Keyword.of("db/cas");
  private static final Keyword CALL = Keyword.of("db.fn/call");
  private static final Keyword PURGE = Keyword.of("db/purge");
  private static final Keyword PURGE_ATTRIBUTE = Keyword.of("db.purge/attribute");
  private static final Keyword PURGE_ENTITY = Keyword.of("db.purge/entity");
  private static final Keyword PURGE_BEFORE = Keyword.of("db.history.purge/before");

  /** Transaction functions registered from Java, by name. */
  static final Map<Keyword, TxFunction> FUNCTIONS = new ConcurrentHashMap<>();
  /** Entity-spec predicates registered from Java, by symbol. */
  static final Map<Symbol, BiPredicate<Database, Long>> PREDICATES = new ConcurrentHashMap<>();

  private final Transactor t;

  TxOps(Transactor t) {
    this.t = t;
  }

  List<Object> apply(TxState s, List<?> op, boolean internal) {
    Object kind = op.get(0);
    DbValue db = s.db;
    if (internal) {
      Attribute at = Transactor.attributeOf(s, op.get(2));
      if (at != null && at.valueType() == Attribute.TYPE_TUPLE) Transactor.checkTuple(at, op, true);
    }
    if (kind == Transactor.ADD) {
      add(s, op);
      return null;
    }
    if (kind == Transactor.RETRACT) {
      long e = db.entid(arg(op, 1));
      if (e < 0) return null;
      int a = attr(s, arg(op, 2), op);
      Object v = arg(op, 3);
      List<Datom> ds;
      if (v == null) {
        ds = collect(db.search(e, a, null, Db.ANY));
      } else {
        Attribute at = db.attribute(a);
        if (at != null && at.isRef()) v = db.entidStrict(v);
        t.validateValue(s, v, op, db.attrIdent(a), a);
        ds = collect(db.search(e, a, v, Db.ANY));
      }
      for (Datom d : ds) DatomWriter.retractExisting(s, d);
      return null;
    }
    if (kind == RETRACT_ATTRIBUTE) {
      long e = db.entid(arg(op, 1));
      if (e < 0) return null;
      int a = attr(s, arg(op, 2), op);
      List<Datom> ds = collect(db.search(e, a, null, Db.ANY));
      for (Datom d : ds) DatomWriter.retractExisting(s, d);
      return components(s, ds, RETRACT_ENTITY_FN);
    }
    if (kind == RETRACT_ENTITY_FN || kind == RETRACT_ENTITY) {
      long e = db.entid(arg(op, 1));
      if (e < 0) return null;
      List<Datom> own = collect(db.search(e, Db.ANY_A, null, Db.ANY));
      List<Datom> all = new ArrayList<>(own);
      for (Attribute r : db.schema().refs()) all.addAll(collect(db.search(Db.ANY, r.code(), e, Db.ANY)));
      for (Datom d : all) {
        if (db.find(d.e, d.a, d.v) != null) DatomWriter.retractExisting(s, d);
      }
      return components(s, own, RETRACT_ENTITY_FN);
    }
    if (kind == CAS || kind == CAS_FN) return cas(s, op);
    if (kind == PURGE || kind == PURGE_ATTRIBUTE || kind == PURGE_ENTITY || kind == PURGE_BEFORE) {
      return purge(s, (Keyword) kind, op);
    }
    if (kind == ENSURE_ATTRS) {
      long e = (Long) op.get(1);
      Set<Object> asserted = new HashSet<>();
      for (Datom d : s.txData) if (d.e == e) asserted.add(d.attr());
      Set<Object> missing = new LinkedHashSet<>();
      for (Object a : (List<?>) op.get(3)) if (!asserted.contains(a)) missing.add(a);
      if (!missing.isEmpty()) {
        throw DatahikeException.of(
            "transact/ensure",
            "Entity " + e + " missing attributes " + Transactor.pr(missing) + " of spec "
                + Transactor.pr(op.get(2)),
            "entity", e, "spec", op.get(2));
      }
      return null;
    }
    if (kind == ENSURE_PREDS) {
      long e = (Long) op.get(1);
      Set<Object> failed = new LinkedHashSet<>();
      Database view = Database.wrap(db);
      for (Object p : (List<?>) op.get(3)) {
        BiPredicate<Database, Long> pred = p instanceof Symbol sym ? PREDICATES.get(sym) : null;
        if (pred == null) {
          throw DatahikeException.of(
              "transact/ensure",
              "Entity predicate " + Transactor.pr(p) + " is not registered", "predicate", p);
        }
        if (!pred.test(view, e)) failed.add(p);
      }
      if (!failed.isEmpty()) {
        throw DatahikeException.of(
            "transact/ensure",
            "Entity " + e + " failed predicates " + Transactor.pr(failed) + " of spec "
                + Transactor.pr(op.get(2)),
            "entity", e, "spec", op.get(2));
      }
      return null;
    }
    if (kind == CALL) {
      Object f = arg(op, 1);
      TxFunction fn = f instanceof TxFunction tf ? tf : f instanceof Keyword k ? FUNCTIONS.get(k) : null;
      if (fn == null) {
        throw DatahikeException.of(
            "transact/syntax", "Can’t find transaction fn " + Transactor.pr(f), "fn", f);
      }
      return callFn(db, fn, op.subList(2, op.size()));
    }
    if (kind instanceof Keyword k) {
      TxFunction fn = FUNCTIONS.get(k);
      if (fn == null) {
        throw DatahikeException.of(
            "transact/syntax", "Can’t find entity for transaction fn " + k, "operation", k, "tx-data", op);
      }
      return callFn(db, fn, op.subList(1, op.size()));
    }
    throw DatahikeException.of(
        "transact/syntax",
        "Unknown operation at " + Transactor.pr(op)
            + ", expected :db/add, :db/retract, :db.fn/retractAttribute, :db/retractEntity, :db/cas,"
            + " :db/purge or the name of a registered transaction function",
        "operation", kind, "tx-data", op);
  }

  private static List<Object> callFn(DbValue db, TxFunction fn, List<?> args) {
    List<?> r = fn.apply(Database.wrap(db), new ArrayList<>(args));
    return r == null ? null : new ArrayList<>(r);
  }

  private static Object arg(List<?> op, int i) {
    return op.size() > i ? op.get(i) : null;
  }

  /** Datahike's transact-add. */
  void add(TxState s, List<?> op) {
    DbValue db = s.db;
    Object e0 = arg(op, 1);
    Object a0 = arg(op, 2);
    Object v = arg(op, 3);
    int a = attr(s, a0, op);
    Keyword aIdent = db.attrIdent(a);
    t.validateValue(s, v, op, aIdent, a);
    Object txArg = arg(op, 4);
    long tx = txArg instanceof Number n ? n.longValue() : s.tx;
    long e = db.entidStrict(e0);
    Attribute at = db.attribute(a);
    if (at != null && at.isRef()) v = db.entidStrict(v);
    addDatom(s, e, a, v, tx);
  }

  /**
   * {@link #add} of a value already checked: {@code e} an existing or new entity id, {@code a} a
   * schema attribute's code, {@code v} valid for its type (the entity-map fast path).
   */
  static void addValid(TxState s, long e, int a, Object v) {
    addDatom(s, e, a, v, s.tx);
  }

  /** Adds the assertion (e, a, v) in {@code tx}, smaller integer types stored as longs. */
  private static void addDatom(TxState s, long e, int a, Object v, long tx) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) v = ((Number) v).longValue();
    DatomWriter.add(s, new Datom(e, a, v, tx, true));
  }

  /**
   * Resolves and checks an attribute in operation position (Datahike's
   * normalize-and-validate-attr).
   */
  int attr(TxState s, Object a, List<?> op) {
    DbValue db = s.db;
    if (a instanceof Keyword k) {
      int code = db.attrCode(k);
      boolean known = db.schema().contains(k) || datahike.schema.ValueTypes.metaType(k) != null;
      if (code == Db.NO_ATTR || (!known && !db.flags().schemaOnRead())) {
        throw DatahikeException.of(
            "transact/schema",
            "Bad entity attribute " + k + " at " + Transactor.pr(op) + ", not defined in current schema",
            "attribute", k, "context", op);
      }
      return code;
    }
    if (a instanceof Number n && db.attributeRefs()) {
      int code = db.attrCode(n);
      if (code != Db.NO_ATTR) return code;
    }
    if (a instanceof String str) return attr(s, Keyword.of(str), op);
    throw DatahikeException.of(
        "transact/syntax",
        "Bad entity attribute " + Transactor.pr(a) + " at " + Transactor.pr(op)
            + ", expected keyword or string",
        "attribute", a, "context", op);
  }

  private static List<Object> components(TxState s, List<Datom> ds, Keyword op) {
    List<Object> out = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    for (Datom d : ds) {
      Attribute at = s.db.attribute(d.a);
      if (at != null && at.component() && seen.add(d.v)) out.add(Transactor.list(op, d.v));
    }
    return out;
  }

  private static List<Datom> collect(Iterable<Datom> it) {
    List<Datom> l = new ArrayList<>();
    for (Datom d : it) l.add(d);
    return l;
  }

  /** Datahike's compare-and-swap. */
  private List<Object> cas(TxState s, List<?> op) {
    DbValue db = s.db;
    Object e0 = arg(op, 1);
    if (Transactor.isTempid(e0)) {
      throw DatahikeException.of(
          "transact/syntax",
          "Can't use tempid in '" + Transactor.pr(op) + "'. Tempids are allowed in :db/add only",
          "op", op);
    }
    long e = db.entidStrict(e0);
    int a = attr(s, arg(op, 2), op);
    Attribute at = db.attribute(a);
    boolean ref = at != null && at.isRef();
    boolean many = at != null && at.many();
    Object ov = arg(op, 3);
    Object nv = arg(op, 4);
    if (ref) nv = db.entidStrict(nv);
    List<Datom> ds = collect(db.search(e, a, null, Db.ANY));
    Object shownA = arg(op, 2);
    if (ov == null) {
      if (ds.isEmpty()) {
        add(s, Transactor.list(Transactor.ADD, e, arg(op, 2), nv));
        return null;
      }
      throw casFailed(e, shownA, many ? values(ds) : ds.get(0).v, ov, nv);
    }
    if (ref) ov = db.entidStrict(ov);
    t.validateValue(s, nv, op, db.attrIdent(a), a);
    if (many) {
      for (Datom d : ds) {
        if (Values.equal(d.v, ov)) {
          add(s, Transactor.list(Transactor.ADD, e, arg(op, 2), nv));
          return null;
        }
      }
      throw casFailed(e, shownA, values(ds), ov, nv);
    }
    Object v = ds.isEmpty() ? null : ds.get(0).v;
    if (v != null && Values.equal(v, ov)) {
      add(s, Transactor.list(Transactor.ADD, e, arg(op, 2), nv));
      return null;
    }
    throw casFailed(e, shownA, v, ov, nv);
  }

  private static Object values(List<Datom> ds) {
    List<Object> l = new ArrayList<>();
    for (Datom d : ds) l.add(d.v);
    return datahike.edn.EdnList.copyOf(l);
  }

  private static DatahikeException casFailed(long e, Object a, Object v, Object ov, Object nv) {
    return DatahikeException.of(
        "transact/cas",
        ":db.fn/cas failed on datom [" + e + " " + Transactor.pr(a) + " " + Transactor.pr(v)
            + "], expected " + Transactor.pr(ov),
        "old", v, "expected", ov, "new", nv);
  }

  private List<Object> purge(TxState s, Keyword kind, List<?> op) {
    DbValue db = s.db;
    if (!db.flags().keepHistory()) {
      String what =
          kind == PURGE
              ? "Purge is"
              : kind == PURGE_ATTRIBUTE ? "Purge attribute is" : "Purge entity is";
      throw DatahikeException.of(
          "transact/purge", what + " only available in temporal databases.", "operation", kind, "tx-data", op);
    }
    ViewDb history = ViewDb.of(db).history();
    if (kind == PURGE_BEFORE) {
      Date before = (Date) arg(op, 1);
      int txi = db.attrCode(TX_INSTANT);
      Set<Long> oldTxs = new HashSet<>();
      for (Datom d : db.search(Db.ANY, txi, null, Db.ANY)) {
        if (d.v instanceof Date dt && dt.before(before)) oldTxs.add(d.e);
      }
      List<Datom> victims = new ArrayList<>();
      for (Datom d : db.temporalTree(datahike.db.IndexType.EAVT).all()) {
        if (oldTxs.contains(d.tx()) && db.find(d.e, d.a, d.v) == null) victims.add(d);
      }
      for (Datom d : victims) DatomWriter.purge(s, d);
      return components(s, victims, PURGE_ENTITY);
    }
    long e = history.entid(arg(op, 1));
    if (e < 0) {
      throw DatahikeException.of(
          "transact/purge",
          "Can't find entity with ID " + Transactor.pr(arg(op, 1)) + " to be purged",
          "operation", kind, "tx-data", op);
    }
    List<Datom> victims;
    if (kind == PURGE) {
      int a = attr(s, arg(op, 2), op);
      Object v = arg(op, 3);
      Attribute at = db.attribute(a);
      if (at != null && at.isRef()) v = history.entidStrict(v);
      victims = collect(history.search(e, a, v, Db.ANY));
      for (Datom d : victims) DatomWriter.purge(s, d);
      return null;
    }
    if (kind == PURGE_ATTRIBUTE) {
      int a = attr(s, arg(op, 2), op);
      victims = collect(history.search(e, a, null, Db.ANY));
      for (Datom d : victims) DatomWriter.purge(s, d);
      return components(s, victims, PURGE_ENTITY);
    }
    List<Datom> own = collect(history.search(e, Db.ANY_A, null, Db.ANY));
    victims = new ArrayList<>(own);
    for (Attribute r : db.schema().refs()) victims.addAll(collect(history.search(Db.ANY, r.code(), e, Db.ANY)));
    for (Datom d : victims) DatomWriter.purge(s, d);
    return components(s, own, PURGE_ENTITY);
  }
}
