package datahike.tx;

import datahike.Datom;
import datahike.db.DbValue;
import java.util.List;

/**
 * Re-applies a committed transaction from its log record: the datoms it changed (in order) and
 * the datoms it purged. This is how a database reopens from its last stored indices plus the log
 * tail, and how another process catches up. It reproduces exactly what {@link DatomWriter} did,
 * without re-running the transaction (no functions, clocks or lookups). Internal.
 */
public final class Replay {
  private Replay() {}

  /** Applies one transaction to a transient database ({@link DbValue#transientCopy()}). */
  public static void apply(DbValue t, long tx, long maxEid, List<Datom> datoms, List<Datom> purged) {
    for (Datom d : datoms) {
      if (d.added()) {
        t.addCurrent(d);
      } else {
        Datom cur = t.find(d.e, d.a, d.v);
        if (cur == null) continue;
        t.removeCurrent(cur);
        if (DatomWriter.keepsHistory(t, d.a)) {
          t.addTemporal(cur);
          t.addTemporal(d);
        }
      }
      if (DatomWriter.isSchemaAttr(t, d.a)) DatomWriter.updateSchema(t, d.e);
    }
    for (Datom d : purged) {
      Datom cur = t.find(d.e, d.a, d.v);
      if (cur != null && cur.tx() == d.tx() && d.added()) {
        t.removeCurrent(cur);
        if (DatomWriter.isSchemaAttr(t, d.a)) DatomWriter.updateSchema(t, d.e);
      }
      t.removeTemporal(d);
    }
    if (maxEid > t.maxEid()) t.setMaxEid(maxEid);
    if (tx > t.maxTx()) t.setMaxTx(tx);
  }

  /** Rebuilds the schema of a database whose indices were loaded from storage. */
  public static void rebuildSchema(DbValue t) {
    java.util.Set<Long> entities = new java.util.TreeSet<>();
    for (datahike.edn.Keyword k : datahike.schema.SchemaKeys.SCHEMA_ATTRS) {
      int a = t.attrCode(k);
      if (a == datahike.db.Db.NO_ATTR) continue;
      for (Datom d : t.search(datahike.db.Db.ANY, a, null, datahike.db.Db.ANY)) entities.add(d.e);
    }
    for (long e : entities) {
      if (t.attributeRefs() && e <= datahike.schema.Schema.SYSTEM_ENTITY_COUNT) continue;
      DatomWriter.updateSchema(t, e);
    }
  }
}
