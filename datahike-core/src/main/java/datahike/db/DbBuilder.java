package datahike.db;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.index.DatomOrder;
import datahike.index.DatomTree;
import datahike.schema.Schema;
import datahike.schema.SchemaKeys;
import datahike.schema.SystemSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes new database values: the empty database of a configuration (with Datahike's system
 * entities when attributes are references), an initial schema given as a map, and bulk loads of
 * prepared datoms without transaction processing. Internal.
 */
public final class DbBuilder {
  private DbBuilder() {}

  /**
   * An empty database. {@code schemaMap} (ident → definition, as DataScript's {@code empty-db}
   * takes it) may be null; it is installed without entities or transactions.
   */
  public static DbValue empty(DbValue.DbFlags flags, Map<?, ?> schemaMap) {
    Schema schema = initialSchema(flags, schemaMap);
    DbValue db = DbValue.empty(flags, schema);
    if (flags.attributeRefs()) {
      List<Datom> ds = new ArrayList<>();
      long tx0 = DbValue.TX0;
      ds.add(new Datom(tx0, (int) SystemSchema.idOf(SchemaKeys.TX_INSTANT), new Date(0), tx0, true));
      for (SystemSchema.Entry e : SystemSchema.entries()) {
        for (Map.Entry<Keyword, Object> p : e.props().entrySet()) {
          Object v = p.getValue();
          if (p.getKey() != SchemaKeys.IDENT && v instanceof Keyword k) {
            long id = SystemSchema.idOf(k);
            if (id > 0) v = id;
          }
          ds.add(new Datom(e.id(), (int) SystemSchema.idOf(p.getKey()), v, tx0, true));
        }
      }
      db = load(db, ds);
      db.setMaxEid(Schema.SYSTEM_ENTITY_COUNT);
    }
    return db;
  }

  /** The system schema plus a schema map (ident → definition) installed without entities. */
  private static Schema initialSchema(DbValue.DbFlags flags, Map<?, ?> schemaMap) {
    Schema schema = Schema.empty(flags.attributeRefs());
    if (schemaMap == null) return schema;
    for (Map.Entry<?, ?> en : schemaMap.entrySet()) {
      Keyword ident = (Keyword) en.getKey();
      Map<Keyword, Object> def = new LinkedHashMap<>();
      for (Map.Entry<?, ?> p : ((Map<?, ?>) en.getValue()).entrySet()) {
        def.put((Keyword) p.getKey(), p.getValue());
      }
      if (!def.containsKey(SchemaKeys.CARDINALITY)) {
        def.put(SchemaKeys.CARDINALITY, SchemaKeys.CARDINALITY_ONE);
      }
      schema = schema.withEntry(ident, null, def);
    }
    return schema;
  }

  /**
   * A database with no datoms yet and the given counters, whose trees and schema the caller fills
   * in (opening a stored database).
   */
  public static DbValue emptyShell(DbValue.DbFlags flags, long maxEid, long maxTx, Map<?, ?> schemaMap) {
    return DbValue.empty(flags, initialSchema(flags, schemaMap), maxEid, maxTx);
  }

  /**
   * {@code db} with {@code datoms} added to the current indices directly (no transaction, no
   * history, no schema processing); the ids are taken as given. Used for the system entities and
   * bulk initialisation.
   */
  public static DbValue load(DbValue db, List<Datom> datoms) {
    DbValue t = db.transientCopy();
    Datom[] arr = datoms.toArray(new Datom[0]);
    if (db.size() == 0) {
      DatomTree[] trees = new DatomTree[3];
      DatomOrder[] orders = {DatomOrder.EAVT, DatomOrder.AEVT, DatomOrder.AVET};
      for (int i = 0; i < 3; i++) {
        DatomOrder o = orders[i];
        Datom[] sorted = arr.clone();
        Arrays.sort(sorted, o::compare);
        int n = dedupe(sorted, o);
        trees[i] = DatomTree.build(o, false, sorted, n);
      }
      t.setTrees(trees, null);
    } else {
      for (Datom d : arr) t.addCurrent(d);
    }
    long maxEid = t.maxEid();
    for (Datom d : arr) if (d.e > maxEid && d.e < DbValue.TX0) maxEid = d.e;
    t.setMaxEid(maxEid);
    return t.persistent();
  }

  private static int dedupe(Datom[] a, DatomOrder o) {
    if (a.length == 0) return 0;
    int w = 1;
    for (int i = 1; i < a.length; i++) {
      if (o.compare(a[i], a[w - 1]) != 0) a[w++] = a[i];
    }
    return w;
  }
}
