package datahike.tx;

import static datahike.schema.SchemaKeys.*;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.Db;
import datahike.db.DbValue;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.schema.Attribute;
import datahike.schema.Schema;
import datahike.schema.SchemaKeys;
import datahike.schema.SystemSchema;
import datahike.schema.ValueTypes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns transaction data into datoms: Datahike's {@code transact-tx-data}. Entity maps are
 * exploded into {@code :db/add} operations after upsert resolution, tempids are allocated in
 * Datahike's order (so ids match Datahike's), operations are applied one by one to a transient
 * copy of the database through {@link DatomWriter}. Any error aborts the attempt and leaves the
 * database untouched; the caller only ever sees the finished value.
 *
 * <p>An upsert that resolves a tempid differently from an earlier allocation restarts the whole
 * transaction with that tempid fixed (Datahike's retry-with-tempid). Internal.
 */
public final class Transactor {
  static final Keyword ADD = Keyword.of("db/add");
  static final Keyword RETRACT = Keyword.of("db/retract");
  static final Keyword CURRENT_TX = Keyword.of("db/current-tx");
  private static final Object FLUSH_TUPLES = new Object();

  /** The outcome of one transaction. */
  public record Result(
      DbValue dbAfter,
      List<Datom> txData,
      Map<Object, Long> tempids,
      Map<Keyword, Object> txMeta,
      List<Datom> purged) {}

  private final DbValue before;
  private final List<?> txData;
  private final Map<Keyword, Object> txMeta;
  private final TxOps ops;

  private Transactor(DbValue before, List<?> txData, Map<Keyword, Object> txMeta) {
    this.before = before;
    this.txData = txData;
    this.txMeta = txMeta;
    this.ops = new TxOps(this);
  }

  /**
   * Applies {@code txData} (Java data: lists, maps, datoms) with optional {@code txMeta} to {@code
   * before}. Throws DatahikeException on any error; {@code before} is never changed.
   */
  public static Result transact(DbValue before, Object txData, Map<Keyword, Object> txMeta) {
    if (txData != null && !(txData instanceof List) && !(txData instanceof Collection)) {
      throw DatahikeException.of(
          "transact/syntax",
          "Bad transaction data " + pr(txData) + ", expected sequential collection",
          "tx-data", txData);
    }
    List<?> data = txData == null ? List.of() : new ArrayList<>((Collection<?>) txData);
    Transactor t = new Transactor(before, data, txMeta == null ? Map.of() : txMeta);
    Map<Object, Long> tempids = TxState.noTempids();
    for (int attempt = 0; ; attempt++) {
      try {
        return t.run(tempids);
      } catch (Retry r) {
        if (attempt > 1000) throw new IllegalStateException("upsert retry loop");
        tempids = r.tempids;
      }
    }
  }

  /**
   * Loads datoms exported from another database as they are: entity ids and transaction ids
   * kept, assertions and retractions applied in order, no tempids, upserts or functions (Datahike's
   * load-entities). The datoms must be in transaction order; the database's max-tx becomes the
   * largest transaction loaded.
   */
  public static Result load(DbValue before, List<Datom> datoms) {
    TxState s = new TxState(before, TxState.noTempids());
    long maxTx = before.maxTx();
    for (Datom d : datoms) {
      if (d.added()) DatomWriter.add(s, d);
      else DatomWriter.retract(s, d.e, d.a, d.v, d.tx());
      if (d.tx() > maxTx) maxTx = d.tx();
      if (d.e >= DbValue.TX0 && d.e > maxTx) maxTx = d.e;
    }
    s.db.setMaxTx(maxTx);
    s.tempids.put(CURRENT_TX, maxTx);
    DbValue after = s.db.persistent();
    return new Result(after, List.copyOf(s.txData), s.tempids, Map.of(), List.copyOf(s.purged));
  }

  /** Restart with these tempids fixed. */
  static final class Retry extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Map<Object, Long> tempids;

    Retry(Map<Object, Long> tempids) {
      super(null, null, false, false);
      this.tempids = tempids;
    }
  }

  private Result run(Map<Object, Long> initialTempids) {
    TxState s = new TxState(before, initialTempids);
    Map<Keyword, Object> meta = new LinkedHashMap<>();
    meta.put(TX_INSTANT, nextTxInstant(before));
    meta.putAll(txMeta);
    Deque<Object> queue = new ArrayDeque<>();
    boolean tuples = !before.schema().compositeTuples().isEmpty();
    if (before.flags().keepHistory()) {
      for (Map.Entry<Keyword, Object> m : meta.entrySet()) {
        Object a = m.getKey();
        if (before.attributeRefs()) {
          int code = before.attrCode(m.getKey());
          if (code == Db.NO_ATTR) {
            throw DatahikeException.of(
                "transact/schema",
                "Bad transaction meta attribute " + pr(a) + " at " + pr(meta)
                    + ", not defined in system or current schema",
                "attribute", a);
          }
          a = (long) code;
        }
        queue.add(list(ADD, s.tx, a, m.getValue(), s.tx));
      }
    }
    for (Object e : txData) {
      queue.add(e == null ? NIL : e);
      if (tuples) queue.add(FLUSH_TUPLES);
    }
    while (!queue.isEmpty()) {
      Object entity = queue.poll();
      if (entity == NIL) continue;
      if (entity == FLUSH_TUPLES) {
        if (!s.queuedTuples.isEmpty()) pushFront(queue, DatomWriter.flushTuples(s));
        continue;
      }
      if (entity instanceof Map<?, ?> m) {
        pushFront(queue, entityMap(s, m));
      } else if (entity instanceof Datom d) {
        datomLiteral(s, d);
      } else if (entity instanceof DatomWriter.InternalOp op) {
        List<Object> more = ops.apply(s, op.op(), true);
        if (more != null) pushFront(queue, more);
      } else if (entity instanceof List<?> l) {
        List<Object> more = opVector(s, l);
        if (more != null) pushFront(queue, more);
      } else {
        throw DatahikeException.of(
            "transact/syntax",
            "Bad entity type at " + pr(entity) + ", expected map or vector",
            "tx-data", entity);
      }
      if (!s.queuedTuples.isEmpty() && !tuples && !s.db.schema().compositeTuples().isEmpty()) {
        pushFront(queue, DatomWriter.flushTuples(s));
      }
    }
    if (!s.queuedTuples.isEmpty()) {
      List<Object> rest = DatomWriter.flushTuples(s);
      for (Object o : rest) ops.apply(s, ((DatomWriter.InternalOp) o).op(), true);
    }
    s.tempids.put(CURRENT_TX, s.tx);
    s.db.setMaxTx(s.tx);
    DbValue after = s.db.persistent();
    return new Result(after, List.copyOf(s.txData), s.tempids, meta, List.copyOf(s.purged));
  }

  private static final Object NIL = new Object();

  private static void pushFront(Deque<Object> q, List<?> items) {
    for (int i = items.size() - 1; i >= 0; i--) {
      Object o = items.get(i);
      q.addFirst(o == null ? NIL : o);
    }
  }

  /** Strictly increasing instants: now, or one millisecond after the previous transaction's. */
  private static Date nextTxInstant(DbValue db) {
    long now = System.currentTimeMillis();
    int a = db.attrCode(TX_INSTANT);
    Datom prev = a == Db.NO_ATTR ? null : db.first(db.maxTx(), a);
    if (prev != null && prev.v instanceof Date d && d.getTime() >= now) now = d.getTime() + 1;
    return new Date(now);
  }

  // ------------------------------------------------------------------ tempids

  /** Tempids: negative numbers and strings. */
  static boolean isTempid(Object x) {
    return (x instanceof Number n && !(x instanceof Double) && n.longValue() < 0) || x instanceof String;
  }

  /** The markers that name the current transaction. */
  static boolean isTxId(Object x) {
    return x == CURRENT_TX
        || ":db/current-tx".equals(x)
        || "datomic.tx".equals(x)
        || "datahike.tx".equals(x);
  }

  // ------------------------------------------------------------------ entity maps

  private List<Object> entityMap(TxState s, Map<?, ?> entity) {
    DbValue db = s.db;
    Object oldEid = entity.get(DB_ID);
    boolean tx = isTxId(oldEid);
    Object resolved;
    if (tx) {
      resolved = s.tx;
      s.allocate(oldEid, s.tx);
    } else if (oldEid instanceof List) {
      resolved = db.entidStrict(oldEid);
    } else if (oldEid instanceof Keyword) {
      resolved = db.entidStrict(List.of(IDENT, oldEid));
    } else {
      resolved = oldEid;
    }
    Long resolvedTempid = resolved == null ? null : s.tempids.get(resolved);
    Long upserted = upsertEid(s, entity, resolved);
    if (upserted != null && resolvedTempid != null && !upserted.equals(resolvedTempid)) {
      retry(s, resolved, upserted);
    }
    long newEid;
    if (upserted != null) {
      newEid = upserted;
    } else if (resolved == null) {
      newEid = s.nextEid();
    } else if (isTempid(resolved)) {
      newEid = resolvedTempid != null ? resolvedTempid : s.nextEid();
    } else if (resolved instanceof Number n && !(resolved instanceof Double)) {
      newEid = n.longValue();
    } else {
      throw DatahikeException.of(
          "entity-id/syntax",
          "Expected number, string, keyword or lookup ref for :db/id, got " + pr(oldEid),
          "entity", entity);
    }
    checkSchemaUpdate(s, entity, newEid);
    s.allocate(resolved, newEid);
    return explode(s, entity, newEid);
  }

  /** Restarts the transaction with {@code tempid} fixed to {@code upserted}. */
  private static void retry(TxState s, Object tempid, long upserted) {
    Long had = s.initialTempids.get(tempid);
    if (had != null) {
      throw DatahikeException.of(
          "transact/upsert",
          "Conflicting upsert: " + pr(tempid) + " resolves both to " + upserted + " and " + had,
          "tempid", tempid);
    }
    Map<Object, Long> fixed = new LinkedHashMap<>(s.tempids);
    fixed.put(tempid, upserted);
    throw new Retry(fixed);
  }

  /**
   * True when the entity map has a unique-identity attribute as a key, or the schema has an identity
   * composite tuple (which its keys might fill): otherwise it cannot upsert. Asked of the few
   * identities rather than of every key of the map.
   */
  private static boolean namesAnIdentity(Schema schema, Map<?, ?> entity) {
    for (Attribute id : schema.identities()) {
      if (entity.containsKey(id.ident())) return true;
    }
    for (Attribute t : schema.compositeTuples()) {
      if (t.isIdentity()) return true;
    }
    return false;
  }

  /** Datahike's upsert-eid: the entity an entity map resolves to through its unique identities. */
  private Long upsertEid(TxState s, Map<?, ?> entity, Object resolvedEid) {
    DbValue db = s.db;
    Schema schema = db.schema();
    if (!namesAnIdentity(schema, entity)) return null;
    long foundE = -1;
    Object foundA = null;
    Object foundV = null;
    for (Map.Entry<?, ?> en : entity.entrySet()) {
      if (!(en.getKey() instanceof Keyword k)) continue;
      Attribute at = schema.attribute(k);
      if (at == null || !at.isIdentity()) continue;
      Object v = en.getValue();
      if (at.isRef() && isTempid(v)) v = s.tempids.get(v);
      if (v == null) continue;
      validateValue(s, v, Arrays2.of(null, null, at.code(), v, null), at.ident(), at.code());
      if (at.isRef() && !(v instanceof Long)) {
        long ve = db.entid(v);
        if (ve < 0) continue;
        v = ve;
      }
      Datom d = db.firstByValue(at.code(), v);
      if (d == null) continue;
      if (foundE < 0) {
        foundE = d.e;
        foundA = k;
        foundV = v;
      } else if (foundE != d.e) {
        throw DatahikeException.of(
            "transact/upsert",
            "Conflicting upserts: " + pr(List.of(foundA, foundV)) + " resolves to " + foundE
                + ", but " + pr(List.of(k, v)) + " resolves to " + d.e,
            "entity", entity);
      }
    }
    for (Attribute t : schema.compositeTuples()) {
      if (!t.isIdentity()) continue;
      List<Object> vals = new ArrayList<>();
      boolean all = true;
      for (Keyword ta : t.tupleAttrs()) {
        if (!entity.containsKey(ta)) {
          all = false;
          break;
        }
        Object v = entity.get(ta);
        Attribute sa = schema.attribute(ta);
        if (sa != null && sa.isRef()) {
          if (isTempid(v)) {
            all = false;
            break;
          }
          v = db.entidStrict(v);
        }
        vals.add(v);
      }
      if (!all) continue;
      Datom d = db.firstByValue(t.code(), java.util.Collections.unmodifiableList(vals));
      if (d == null) continue;
      if (foundE < 0) {
        foundE = d.e;
        foundA = t.ident();
        foundV = vals;
      } else if (foundE != d.e) {
        throw DatahikeException.of(
            "transact/upsert",
            "Conflicting upserts: " + pr(List.of(foundA, foundV)) + " resolves to " + foundE
                + ", but " + pr(List.of(t.ident(), vals)) + " resolves to " + d.e,
            "entity", entity);
      }
    }
    if (foundE < 0) return null;
    Object id = resolvedEid;
    if (id != null && !isTempid(id) && id instanceof Number n && n.longValue() != foundE) {
      throw DatahikeException.of(
          "transact/upsert",
          "Conflicting upsert: " + pr(List.of(foundA, foundV)) + " resolves to " + foundE
              + ", but entity already has :db/id " + id,
          "entity", entity);
    }
    return foundE;
  }

  private void checkSchemaUpdate(TxState s, Map<?, ?> entity, long newEid) {
    boolean schemaEntity = false;
    for (Object k : entity.keySet()) {
      if (k == IDENT || k == VALUE_TYPE || k == CARDINALITY || k == UNIQUE || k == INDEX
          || k == IS_COMPONENT || k == INSTALL_ATTRIBUTE) {
        schemaEntity = true;
      }
    }
    if (!schemaEntity) return;
    Object ident = entity.get(IDENT);
    if (ident != null && SchemaKeys.isSystemKeyword(ident)) {
      throw DatahikeException.of(
          "transact/schema",
          "Using namespace 'db' for attribute identifiers is not allowed",
          "entity", entity);
    }
    Schema schema = s.db.schema();
    Keyword existing = schema.identOf(newEid);
    if (existing != null) {
      Map<Keyword, Object> old = schema.entry(existing);
      Map<Keyword, Object> invalid = new LinkedHashMap<>();
      for (Map.Entry<?, ?> en : entity.entrySet()) {
        Object k = en.getKey();
        if (k == DB_ID || k == IDENT) continue;
        Object nv = en.getValue();
        Object ov = old == null ? null : old.get(k);
        if (ov == null ? nv == null : ov.equals(nv)) continue;
        if (k == CARDINALITY) {
          if (nv == CARDINALITY_MANY && old.get(UNIQUE) != null) invalid.put((Keyword) k, List.of(String.valueOf(ov), nv));
        } else if (k == UNIQUE) {
          if (old.get(UNIQUE) == null || old.get(CARDINALITY) != CARDINALITY_ONE) {
            invalid.put((Keyword) k, List.of(String.valueOf(ov), nv));
          }
        } else if (k == DOC || k == NO_HISTORY || k == IS_COMPONENT) {
          // always allowed
        } else if (k instanceof Keyword kw) {
          invalid.put(kw, java.util.Arrays.asList(ov, nv));
        }
      }
      if (!invalid.isEmpty()) {
        throw DatahikeException.of(
            "transact/schema",
            "Update not supported for these schema attributes",
            "entity", entity, "invalid-updates", invalid);
      }
      return;
    }
    if (!s.db.flags().schemaOnRead()
        && (entity.containsKey(CARDINALITY) || entity.containsKey(VALUE_TYPE))) {
      boolean complete =
          entity.get(IDENT) instanceof Keyword
              && entity.containsKey(VALUE_TYPE)
              && entity.containsKey(CARDINALITY);
      if (!complete) {
        throw DatahikeException.of(
            "transact/schema",
            "Incomplete schema transaction attributes, expected :db/ident, :db/valueType, :db/cardinality",
            "entity", entity);
      }
    }
  }

  /** Datahike's explode: an entity map into :db/add operations (and nested entity maps). */
  private List<Object> explode(TxState s, Map<?, ?> entity, long eid) {
    DbValue db = s.db;
    boolean refs = db.attributeRefs();
    if (refs && eid > 0 && eid <= Schema.SYSTEM_ENTITY_COUNT) {
      throw DatahikeException.of(
          "transact/syntax",
          "Entity with ID " + eid + " is a system attribute " + db.attrIdent((int) eid)
              + " and cannot be changed",
          "eid", eid);
    }
    List<Object> out = new ArrayList<>();
    // Simple values are added here at once rather than queued as [:db/add e a v] vectors, as long
    // as nothing before them was queued (so the order of changes stays Datahike's): the queue round
    // trip built three objects per value and cost about a third of a bulk load's time.
    boolean direct = !refs && eid >= 0 && db.schema().compositeTuples().isEmpty();
    for (Map.Entry<?, ?> en : entity.entrySet()) {
      Object key = en.getKey();
      if (key == DB_ID || key == ENSURE) continue;
      Object vs = en.getValue();
      Keyword a = attrKeyword(key, entity, eid);
      boolean reverse = a.isReverse();
      Keyword straight = reverse ? a.reverse() : a;
      validateAttrIdent(s, straight, eid, key, vs, reverse ? a : null);
      Attribute at = db.schema().attribute(straight);
      boolean isRef = at != null && at.isRef();
      if (reverse && !isRef) {
        throw DatahikeException.of(
            "transact/syntax",
            "Bad attribute " + a + ": reverse attribute name requires {:db/valueType :db.type/ref} in schema",
            "attribute", a);
      }
      boolean plain = direct && !reverse && isPlain(at, straight);
      // A single value skips multival's list.
      if (plain && !at.many() && addedAtOnce(s, eid, at, vs, out)) continue;
      Object straightA = refs ? (Object) (long) db.attrCode(straight) : straight;
      for (Object v : multival(s, a, at, reverse, vs)) {
        if (plain && addedAtOnce(s, eid, at, v, out)) continue;
        if (isRef && v instanceof Map<?, ?> nested) {
          Map<Object, Object> n = new LinkedHashMap<>(nested);
          n.put(a.reverse(), eid);
          out.add(n);
        } else if (reverse) {
          out.add(list(ADD, v, straightA, eid));
        } else {
          Object val = v;
          if (refs && SystemSchema.storesIdentRefs(straight) && v instanceof Keyword kv) {
            long id = SystemSchema.idOf(kv);
            if (id > 0) val = id;
          }
          out.add(list(ADD, eid, straightA, val));
        }
      }
    }
    Object ensure = entity.get(ENSURE);
    if (ensure instanceof Keyword spec) {
      Map<Keyword, Object> def = db.schema().entry(spec);
      Object attrs = def == null ? null : def.get(ENTITY_ATTRS);
      Object preds = def == null ? null : def.get(ENTITY_PREDS);
      if (attrs instanceof List<?> l && !l.isEmpty()) out.add(list(TxOps.ENSURE_ATTRS, eid, spec, attrs));
      if (preds instanceof List<?> l && !l.isEmpty()) out.add(list(TxOps.ENSURE_PREDS, eid, spec, preds));
    }
    return out;
  }

  /**
   * True when values of {@code at} can skip the operation queue: a schema attribute that is
   * neither a ref (values may be tempids, lookup refs or nested maps), a tuple, nor a system or
   * schema attribute (whose changes alter the schema the next values are checked against).
   */
  private static boolean isPlain(Attribute at, Keyword ident) {
    return at != null
        && !at.isRef()
        && at.valueType() != Attribute.TYPE_TUPLE
        && ValueTypes.metaType(ident) == null
        && !DatomWriter.isSchemaKeyword(ident);
  }

  /**
   * Adds {@code v} of the plain attribute {@code at} now, when nothing of this entity map was queued
   * before it and the value is valid (otherwise the queued path reports it); true if it did.
   */
  private static boolean addedAtOnce(TxState s, long eid, Attribute at, Object v, List<Object> out) {
    if (!out.isEmpty() || v == null || !ValueTypes.valid(at.valueType(), v)) return false;
    TxOps.addValid(s, eid, at.code(), v);
    return true;
  }

  /** {@code {:db/id eid, key value}} in that order, as Datahike prints it in errors. */
  private static Map<Object, Object> context(long eid, Object key, Object value) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(DB_ID, eid);
    m.put(key, value);
    return m;
  }

  private Keyword attrKeyword(Object key, Map<?, ?> entity, long eid) {
    if (key instanceof Keyword k) return k;
    if (key instanceof String str) return Keyword.of(str);
    if (key instanceof Number n && before.attributeRefs()) {
      Keyword k = before.attrIdent((int) n.longValue());
      if (k != null) return k;
    }
    throw DatahikeException.of(
        "transact/syntax",
        "Bad entity attribute " + pr(key) + " at " + pr(context(eid, key, entity.get(key)))
            + ", expected keyword or string",
        "attribute", key);
  }

  private static Iterable<?> multival(TxState s, Keyword a, Attribute at, boolean reverse, Object vs) {
    boolean multi = reverse || (at != null && at.many());
    if (!multi) return java.util.Collections.singletonList(vs);
    if (!(vs instanceof Collection<?> c) || vs instanceof Map) return java.util.Collections.singletonList(vs);
    if (vs instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Keyword k0) {
      Attribute la = s.db.schema().attribute(k0);
      if (la != null && la.isIdentity() && a != ENTITY_ATTRS && a != ENTITY_PREDS) {
        return java.util.Collections.singletonList(vs);
      }
    }
    return c;
  }

  /** Schema-on-write: the attribute must be defined (Datahike's validate-attr-ident). */
  private void validateAttrIdent(
      TxState s, Keyword a, long eid, Object key, Object value, Keyword shown) {
    if (s.db.flags().schemaOnRead() && !s.db.attributeRefs()) return;
    if (s.db.schema().contains(a) || ValueTypes.metaType(a) != null) return;
    if (s.db.flags().schemaOnRead()) return;
    Object context = context(eid, key, value);
    throw DatahikeException.of(
        "transact/schema",
        "Bad entity attribute " + pr(shown != null ? shown : a) + " at " + pr(context)
            + ", not defined in current schema",
        "attribute", a, "context", context);
  }

  // ------------------------------------------------------------------ operation vectors

  private List<Object> opVector(TxState s, List<?> l) {
    if (l.isEmpty()) {
      throw DatahikeException.of("transact/syntax", "Bad entity type at [], expected map or vector", "tx-data", l);
    }
    Object op = l.get(0);
    Object e = l.size() > 1 ? l.get(1) : null;
    Object a = l.size() > 2 ? l.get(2) : null;
    Object v = l.size() > 3 ? l.get(3) : null;
    Attribute at = attributeOf(s, a);
    if (at != null && at.valueType() == Attribute.TYPE_TUPLE) checkTuple(at, l, false);
    if (isTxId(e)) {
      s.allocate(e, s.tx);
      return List.of(replace(l, 1, s.tx));
    }
    if (at != null && at.isRef() && isTxId(v)) {
      s.allocate(v, s.tx);
      return List.of(replace(l, 3, s.tx));
    }
    if (isTempid(e)) {
      if (op != ADD) {
        throw DatahikeException.of(
            "transact/syntax",
            "Can't use tempid in '" + pr(l) + "'. Tempids are allowed in :db/add only",
            "op", l);
      }
      Long upserted = null;
      if (at != null && at.isIdentity()) {
        Object lv = v;
        if (at.isRef() && lv != null && !(lv instanceof Long)) lv = s.db.entid(lv);
        Datom d = lv == null ? null : s.db.firstByValue(at.code(), lv);
        if (d != null) upserted = d.e;
      }
      Long allocated = s.tempids.get(e);
      if (upserted != null && allocated != null && !upserted.equals(allocated)) {
        retry(s, e, upserted);
      }
      long eid = upserted != null ? upserted : allocated != null ? allocated : s.nextEid();
      s.allocate(e, eid);
      return List.of(replace(l, 1, eid));
    }
    if (at != null && at.isRef() && isTempid(v)) {
      Long vid = s.tempids.get(v);
      if (vid != null) return List.of(replace(l, 3, vid));
      s.allocate(v, s.nextEid());
      return List.of(l);
    }
    return ops.apply(s, l, false);
  }

  /** The schema attribute named by {@code a} (keyword or, with attribute refs, id), or null. */
  static Attribute attributeOf(TxState s, Object a) {
    if (a instanceof Keyword k) return s.db.schema().attribute(k);
    if (a instanceof Number n && s.db.attributeRefs()) return s.db.schema().attribute((int) n.longValue());
    return null;
  }

  static void checkTuple(Attribute at, List<?> op, boolean internal) {
    Object v = op.size() > 3 ? op.get(3) : null;
    if (at.tupleType() != null && v instanceof List<?> vals) {
      if (vals.size() > 8) {
        throw DatahikeException.of(
            "transact/syntax",
            "Cannot store more than 8 values for homogeneous tuple: " + pr(op), "tx-data", op);
      }
      Class<?> first = null;
      for (Object x : vals) {
        Class<?> c = x == null ? Void.class : x.getClass();
        if (first == null) first = c;
        else if (first != c) {
          throw DatahikeException.of(
              "transact/syntax",
              "Cannot store homogeneous tuple with values of different type: " + pr(op),
              "tx-data", op);
        }
      }
      if (!vals.isEmpty() && !ValueTypes.valid(at.tupleType(), vals.get(0))) {
        throw DatahikeException.of(
            "transact/syntax",
            "Cannot store homogeneous tuple. Values are of wrong type: " + pr(op), "tx-data", op);
      }
    } else if (at.tupleTypes() != null && v instanceof List<?> vals) {
      if (vals.size() != at.tupleTypes().size()) {
        throw DatahikeException.of(
            "transact/syntax",
            "Cannot store heterogeneous tuple: expecting " + at.tupleTypes().size()
                + " values, got " + vals.size(),
            "tx-data", op);
      }
      for (int i = 0; i < vals.size(); i++) {
        if (vals.get(i) != null && !ValueTypes.valid(at.tupleTypes().get(i), vals.get(i))) {
          throw DatahikeException.of(
              "transact/syntax",
              "Cannot store heterogeneous tuple: there is a mismatch between values " + pr(vals)
                  + " and their types " + pr(at.tupleTypes()),
              "tx-data", op);
        }
      }
    } else if (at.tupleAttrs() != null && !internal) {
      throw DatahikeException.of(
          "transact/syntax", "Can’t modify tuple attrs directly: " + pr(op), "tx-data", op);
    }
  }

  private void datomLiteral(TxState s, Datom d) {
    long tx = d.tx();
    if (d.added()) {
      List<Object> op = new ArrayList<>(List.of(ADD, d.e, d.attr(), d.v, tx));
      ops.add(s, op);
    } else {
      int a = d.a;
      DatomWriter.retract(s, d.e, a, d.v, tx);
    }
  }

  // ------------------------------------------------------------------ values

  /**
   * Datahike's validate-val: nil is never a value; under schema-on-write the value must fit the
   * attribute's type.
   */
  void validateValue(TxState s, Object v, List<?> context, Keyword aIdent, int code) {
    if (v == null) {
      throw DatahikeException.of(
          "transact/syntax", "Cannot store nil as a value at " + pr(context), "value", null, "context", context);
    }
    if (s.db.flags().schemaOnRead()) return;
    Keyword type = ValueTypes.metaType(aIdent);
    Object shown = v;
    if (type == null) {
      Attribute at = s.db.schema().attribute(aIdent);
      type = at == null ? null : at.valueType();
    } else if (s.db.attributeRefs() && SystemSchema.storesIdentRefs(aIdent) && v instanceof Long id) {
      Keyword k = s.db.schema().identOf(id);
      if (k != null) shown = k;
    }
    if (type != null && !ValueTypes.valid(type, shown)) {
      throw DatahikeException.of(
          "transact/schema",
          "Bad entity value " + pr(shown) + " at " + pr(context)
              + ", value does not match schema definition. Must be conform to: "
              + ValueTypes.describe(type),
          "value", shown, "attribute", aIdent);
    }
  }

  static List<Object> list(Object... xs) {
    return java.util.Arrays.asList(xs);
  }

  private static List<Object> replace(List<?> l, int i, Object x) {
    List<Object> c = new ArrayList<>(l);
    c.set(i, x);
    return c;
  }

  static String pr(Object o) {
    return EdnPrinter.print(o);
  }

  /** Tiny helper to build lists that may hold nulls. */
  static final class Arrays2 {
    static List<Object> of(Object... xs) {
      return java.util.Arrays.asList(xs);
    }
  }

}
