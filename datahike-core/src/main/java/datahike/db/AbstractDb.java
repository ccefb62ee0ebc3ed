package datahike.db;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.edn.EdnPrinter;
import datahike.edn.Keyword;
import datahike.schema.Attribute;
import datahike.schema.Schema;
import datahike.schema.SchemaKeys;
import java.util.Iterator;
import java.util.List;

/**
 * What every database value and view shares: attribute and entity-id resolution against the
 * schema of the underlying {@link DbValue}, with datom lookups going through this value's own
 * {@link #search} so that a view resolves ids as of its own point in time. Internal.
 */
public abstract class AbstractDb implements Db {
  /** The current database this value is, or views. */
  public abstract DbValue base();

  /** The schema. */
  public Schema schema() {
    return base().schema();
  }

  @Override
  public Attribute attribute(int code) {
    return base().schema().attribute(code);
  }

  @Override
  public Attribute attribute(Keyword ident) {
    return base().schema().attribute(ident);
  }

  @Override
  public boolean attributeRefs() {
    return base().flags().attributeRefs();
  }

  @Override
  public int attrCode(Object attr) {
    Keyword k;
    if (attr instanceof Keyword kw) {
      k = kw;
    } else if (attr instanceof String s) {
      k = Keyword.of(s);
    } else if (attr instanceof Number n) {
      if (!attributeRefs()) return NO_ATTR;
      long id = n.longValue();
      return base().schema().attribute((int) id) != null ? (int) id : NO_ATTR;
    } else {
      return NO_ATTR;
    }
    if (!attributeRefs()) return Datom.attrCode(k);
    Integer c = base().schema().code(k);
    return c == null ? NO_ATTR : c;
  }

  @Override
  public Keyword attrIdent(int code) {
    if (code < 0) return Keyword.byId(-code);
    return base().schema().identOf(code);
  }

  @Override
  public long entid(Object eid) {
    if (eid instanceof Long l) return l;
    if (eid instanceof Number n) {
      if (n instanceof Double || n instanceof Float) {
        throw DatahikeException.of(
            "entity-id/syntax",
            "Expected number or lookup ref for entity id, got " + EdnPrinter.print(eid),
            "entity-id", eid);
      }
      return n.longValue();
    }
    if (eid instanceof Keyword k) {
      int identCode = attrCode(SchemaKeys.IDENT);
      return firstEntity(identCode, k);
    }
    if (eid instanceof List<?> l && l.size() == 2 && !(l.get(0) instanceof List)) {
      Object a = l.get(0);
      Object v = l.get(1);
      int code = attrCode(a);
      Attribute at = code == NO_ATTR ? null : attribute(code);
      if (at == null || !at.isUnique()) {
        throw DatahikeException.of(
            "lookup-ref/unique",
            "Lookup ref attribute should be marked as :db/unique: " + EdnPrinter.print(eid),
            "lookup-ref", eid);
      }
      if (v == null) return ANY;
      if (at.isRef() && !(v instanceof Long)) {
        long ve = entid(v);
        if (ve < 0) return ANY;
        v = ve;
      }
      return firstEntity(code, v);
    }
    throw DatahikeException.of(
        "entity-id/syntax",
        "Expected number or lookup ref for entity id, got " + EdnPrinter.print(eid),
        "entity-id", eid);
  }

  private long firstEntity(int a, Object v) {
    // In a history view a retracted datom still names its entity, as in Datahike.
    for (Datom d : search(ANY, a, v, ANY)) return d.e;
    return ANY;
  }

  /** As {@link #entid} but throws when nothing is found (Datahike's {@code entid-strict}). */
  public long entidStrict(Object eid) {
    long e = entid(eid);
    if (e < 0) {
      throw DatahikeException.of(
          "entity-id/missing",
          "Nothing found for entity id " + EdnPrinter.print(eid),
          "entity-id", eid);
    }
    return e;
  }

  /** The first datom of {@code search(e, a, null)} in this view, or null. */
  public Datom firstDatom(long e, int a) {
    Iterator<Datom> it = search(e, a, null, ANY).iterator();
    return it.hasNext() ? it.next() : null;
  }
}
