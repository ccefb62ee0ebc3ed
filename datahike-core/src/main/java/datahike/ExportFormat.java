package datahike;

import datahike.db.Db;
import datahike.db.DbValue;
import datahike.db.IndexType;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The export form of a database, as Datahike's export-db writes it: every datom of the history
 * (or of the current state without history) as {@code [e a v tx added]}, sorted by transaction
 * then entity, attributes as keywords, leaving out the system datoms of transaction 0. This is
 * what import (load-entities) reads back, in any backend.
 */
final class ExportFormat {
  private ExportFormat() {}

  /** The datoms to export, in export order. */
  static List<Datom> datoms(Database db) {
    DbValue base = db.unwrap().base();
    Database source = base.flags().keepHistory() ? Database.wrap(base).history() : Database.wrap(base);
    List<Datom> out = new ArrayList<>();
    for (Datom d : source.unwrap().datoms(IndexType.EAVT, Db.ANY, Db.ANY_A, null, Db.ANY)) {
      if (d.tx() == DbValue.TX0 && base.attributeRefs()) continue;
      out.add(d);
    }
    // Within a transaction and entity: retractions of earlier values first (a replaced value is
    // retracted, then set), then each value set and overwritten within the transaction as its
    // assertion followed by its retraction, then the assertions that stay; so load never meets
    // a cardinality-one value still in place (it would retract that itself, in the wrong tx).
    Map<Datom, Integer> overwritten = new HashMap<>();
    Set<Datom> asserted = new HashSet<>();
    for (Datom d : out) if (d.added()) asserted.add(d);
    for (Datom d : out) {
      if (!d.added() && asserted.contains(d.withOp(d.tx(), true))) {
        overwritten.put(d.withOp(d.tx(), true), overwritten.size());
      }
    }
    out.sort(
        Comparator.comparingLong(Datom::tx)
            .thenComparingLong(Datom::e)
            .thenComparingInt(
                d -> {
                  Integer i = overwritten.get(d.added() ? d : d.withOp(d.tx(), true));
                  if (i != null) return 1 + 2 * i + (d.added() ? 0 : 1);
                  return d.added() ? Integer.MAX_VALUE : 0;
                }));
    return out;
  }

  /** The datoms of an export, or null when {@code form} is ordinary transaction data. */
  static List<Datom> asDatoms(Object form) {
    if (!(form instanceof Collection<?> c) || c.isEmpty()) return null;
    List<Datom> out = new ArrayList<>(c.size());
    for (Object o : c) {
      if (o instanceof Datom d) {
        out.add(d);
      } else if (o instanceof List<?> l && l.size() == 5 && l.get(0) instanceof Number
          && l.get(4) instanceof Boolean && l.get(3) instanceof Number) {
        Object a = l.get(1);
        int code = a instanceof Keyword k ? Datom.attrCode(k) : (int) ((Number) a).longValue();
        out.add(new Datom(((Number) l.get(0)).longValue(), code, l.get(2), ((Number) l.get(3)).longValue(), (Boolean) l.get(4)));
      } else {
        return null;
      }
    }
    return out;
  }
}
