package datahike.tx;

import static datahike.schema.SchemaKeys.*;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.Db;
import datahike.db.DbValue;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.index.Values;
import datahike.schema.Attribute;
import datahike.schema.Schema;
import datahike.schema.SystemSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies single datoms to the transient database of a transaction: unique checks, the index
 * updates of an assertion, a cardinality-one replacement or a retraction, history bookkeeping,
 * schema maintenance and the queueing of composite tuple values. The rules follow Datahike's
 * {@code with-datom} and {@code with-datom-upsert}; where they differ, the decisions in
 * ARCHITECTURE.md apply (tx-data lists exactly what changed). Internal.
 */
final class DatomWriter {
  private DatomWriter() {}

  /** Keeps history for this attribute in this database? */
  private static boolean keepsHistory(TxState s, int a) {
    return keepsHistory(s.db, a);
  }

  /** True when retractions of attribute {@code a} go to the temporal indices. */
  static boolean keepsHistory(DbValue db, int a) {
    if (!db.flags().keepHistory()) return false;
    Attribute at = db.attribute(a);
    if (at == null) return true;
    return !at.noHistory() && at.ident() != TX_INSTANT;
  }

  private static Attribute attr(TxState s, int a) {
    return s.db.attribute(a);
  }

  /** Asserts {@code d}; a cardinality-one attribute replaces its previous value. */
  static void add(TxState s, Datom d) {
    Attribute at = attr(s, d.a);
    boolean many = at != null && at.many();
    if (at != null && at.isUnique()) {
      Datom found = s.db.firstByValue(d.a, d.v);
      if (found != null && found.e != d.e) {
        throw DatahikeException.of(
            "transact/unique",
            "Cannot add " + d + " because of unique constraint: (" + found + ")",
            "attribute", at.ident(), "datom", d);
      }
    }
    if (many) {
      if (s.db.find(d.e, d.a, d.v) != null) return;
    } else {
      Datom old = s.db.first(d.e, d.a);
      if (old != null) {
        if (Values.equal(old.v, d.v) && old.v.getClass() == d.v.getClass()) return;
        retractExisting(s, old);
      }
    }
    if (undoRetraction(s, d)) return;
    s.db.addCurrent(d);
    s.advanceMaxEid(d.e);
    s.txData.add(d);
    afterChange(s, d, at);
  }

  /**
   * Re-asserting a fact this transaction retracted undoes the retraction instead of recording a
   * second change: a fact retracted and asserted again in one transaction did not change. Returns
   * true when that restored the fact as it was before the transaction.
   */
  private static boolean undoRetraction(TxState s, Datom d) {
    if (!s.retracted || !s.db.flags().keepHistory()) return false;
    Datom retraction = new Datom(d.e, d.a, d.v, s.tx, false);
    if (s.db.temporalTree(datahike.db.IndexType.EAVT).get(retraction) == null) return false;
    s.txData.remove(retraction);
    s.db.removeTemporal(retraction);
    Datom key = new Datom(d.e, d.a, d.v, 0, true);
    Datom original = null;
    for (Datom t : s.db.temporalTree(datahike.db.IndexType.EAVT).slice(key, key)) {
      if (t.added()) original = t;
    }
    if (original == null) return false;
    s.db.removeTemporal(original);
    if (original.tx() == s.tx) {
      s.txData.remove(original);
      return false;
    }
    s.db.addCurrent(original);
    afterChange(s, original, attr(s, d.a));
    return true;
  }

  /** Retracts the current datom {@code old} in this transaction. */
  static void retractExisting(TxState s, Datom old) {
    Datom r = old.withOp(s.tx, false);
    s.retracted = true;
    s.db.removeCurrent(old);

    if (keepsHistory(s, old.a)) {
      s.db.addTemporal(old);
      s.db.addTemporal(r);
    }
    s.txData.add(r);
    afterChange(s, r, attr(s, old.a));
  }

  /** Retracts (e, a, v) if it holds; keeps the retraction's tx when given (datom literals). */
  static void retract(TxState s, long e, int a, Object v, long tx) {
    Datom cur = s.db.find(e, a, v);
    if (cur == null) return;
    if (tx <= 0 || tx == s.tx) {
      retractExisting(s, cur);
      return;
    }
    Datom r = cur.withOp(tx, false);
    s.db.removeCurrent(cur);
    if (keepsHistory(s, cur.a)) {
      s.db.addTemporal(cur);
      s.db.addTemporal(r);
    }
    s.txData.add(r);
    afterChange(s, r, attr(s, cur.a));
  }

  /** Removes every trace of {@code d} from current and temporal indices (purge). */
  static void purge(TxState s, Datom d) {
    s.purged.add(d);
    Datom cur = s.db.find(d.e, d.a, d.v);
    if (cur != null && cur.tx() == d.tx() && d.added()) {
      s.db.removeCurrent(cur);
      Attribute at = attr(s, d.a);
      if (at != null || isSchemaAttr(s, d.a)) updateSchema(s, d.e);
    }
    s.db.removeTemporal(d);
  }

  private static void afterChange(TxState s, Datom d, Attribute at) {
    if (isSchemaAttr(s, d.a)) updateSchema(s, d.e);
    List<Schema.TupleSlot> slots = s.db.schema().tupleSlots(d.a);
    if (!slots.isEmpty()) queueTuples(s, d, slots);
  }

  private static boolean isSchemaAttr(TxState s, int a) {
    return isSchemaAttr(s.db, a);
  }

  /** True for the attributes that define the schema ({@code :db/ident}, {@code :db/valueType}, ...). */
  static boolean isSchemaKeyword(Keyword k) {
    return SCHEMA_ATTRS.contains(k);
  }

  static boolean isSchemaAttr(DbValue db, int a) {
    Keyword k = db.attrIdent(a);
    return k != null && isSchemaKeyword(k);
  }

  // ------------------------------------------------------------------ schema

  /**
   * Recomputes the schema definition held by entity {@code e} from its current datoms, as
   * Datahike's update-schema / remove-schema do datom by datom.
   */
  static void updateSchema(TxState s, long e) {
    updateSchema(s.db, e);
  }

  /** Recomputes the schema definition of entity {@code e} in a transient database. */
  public static void updateSchema(DbValue db, long e) {
    Schema schema = db.schema();
    boolean refs = db.attributeRefs();
    Map<Keyword, Object> def = new LinkedHashMap<>();
    for (Datom d : db.search(e, Db.ANY_A, null, Db.ANY)) {
      Keyword a = db.attrIdent(d.a);
      if (a == null || !isSchemaKeyword(a)) continue;
      Object v = d.v;
      if (refs && SystemSchema.storesIdentRefs(a) && v instanceof Long id) {
        Keyword k = schema.identOf(id);
        if (k != null) v = k;
      }
      if (a == ENTITY_ATTRS || a == ENTITY_PREDS) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) def.computeIfAbsent(a, x -> new ArrayList<>());
        l.add(v);
      } else {
        def.put(a, v);
      }
    }
    Object ident = def.remove(IDENT);
    if (ident instanceof Keyword k) {
      Long holder = schema.eidOf(k);
      if (holder != null && holder != e) {
        throw DatahikeException.of(
            "transact/schema", "Schema with attribute " + k + " already exists", "attribute", k);
      }
      for (Map.Entry<Keyword, Object> en : def.entrySet()) {
        if (en.getValue() instanceof List<?> l) en.setValue(Collections.unmodifiableList(l));
      }
      db.setSchema(schema.withEntry(k, e, def));
    } else {
      db.setSchema(schema.withoutEntity(e));
    }
  }

  // ------------------------------------------------------------------ composite tuples

  private static void queueTuples(TxState s, Datom d, List<Schema.TupleSlot> slots) {
    Map<Attribute, Object[]> q = s.queuedTuples.computeIfAbsent(d.e, k -> new LinkedHashMap<>());
    for (Schema.TupleSlot slot : slots) {
      Object[] value = q.get(slot.tuple());
      if (value == null) {
        Datom cur = s.db.first(d.e, slot.tuple().code());
        value = new Object[slot.tuple().tupleAttrs().size()];
        if (cur != null && cur.v instanceof List<?> l) {
          for (int i = 0; i < value.length && i < l.size(); i++) value[i] = l.get(i);
        }
        q.put(slot.tuple(), value);
      }
      value[slot.index()] = d.added() ? d.v : null;
    }
  }

  /** The operations that bring queued composite tuples up to date (Datahike's flush-tuples). */
  static List<Object> flushTuples(TxState s) {
    List<Object> ops = new ArrayList<>();
    for (Map.Entry<Long, Map<Attribute, Object[]>> en : s.queuedTuples.entrySet()) {
      long e = en.getKey();
      for (Map.Entry<Attribute, Object[]> t : en.getValue().entrySet()) {
        Object[] vals = t.getValue();
        boolean allNil = true;
        for (Object o : vals) allNil &= o == null;
        List<Object> value = allNil ? null : Collections.unmodifiableList(java.util.Arrays.asList(vals.clone()));
        Datom cur = s.db.first(e, t.getKey().code());
        Object current = cur == null ? null : cur.v;
        if (value == null ? current == null : current != null && Values.equal(value, current)) continue;
        if (value == null) {
          ops.add(new InternalOp(List.of(Transactor.RETRACT, e, t.getKey().ident(), current)));
        } else {
          ops.add(new InternalOp(List.of(Transactor.ADD, e, t.getKey().ident(), value)));
        }
      }
    }
    s.queuedTuples = new LinkedHashMap<>();
    return ops;
  }

  /** An operation generated by the transactor itself (allowed to write composite tuples). */
  record InternalOp(List<Object> op) {}

  static String pr(Object o) {
    return EdnPrinter.print(o);
  }
}
