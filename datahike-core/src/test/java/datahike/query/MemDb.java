package datahike.query;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.Db;
import datahike.db.IndexType;
import datahike.edn.Keyword;
import datahike.index.Values;
import datahike.schema.Attribute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only {@link Db}: a list of datoms and a schema map, every lookup a linear scan (keyword
 * attributes, encoded as {@link Datom#attrCode}). The reference the engine's tests run against.
 */
final class MemDb implements Db {
  static final Keyword IDENT = Keyword.of("db/ident");

  private static final Comparator<Datom> EAVT =
      Comparator.<Datom>comparingLong(d -> d.e)
          .thenComparingInt(d -> d.a)
          .thenComparing((x, y) -> Values.compare(x.v, y.v))
          .thenComparingLong(Datom::tx);

  final Map<Integer, Attribute> attrs;
  final List<Datom> datoms;
  final boolean readMode;
  final boolean history;
  /** Counts calls of search/valueRange, for planner tests. */
  long searches;
  /** Counts the datoms search/valueRange returned, for planner tests. */
  long scanned;

  MemDb(Map<Integer, Attribute> attrs, List<Datom> datoms, boolean readMode, boolean history) {
    this.attrs = attrs;
    this.datoms = new ArrayList<>(datoms);
    this.datoms.sort(EAVT);
    this.readMode = readMode;
    this.history = history;
  }

  /** A schema-on-read database of {@code [e a v]} facts. */
  static MemDb of(List<Datom> datoms) {
    return new MemDb(new HashMap<>(), datoms, true, false);
  }

  static Datom datom(long e, String a, Object v) {
    return new Datom(e, Datom.attrCode(Keyword.of(a)), v, 536870913L, true);
  }

  @Override
  public Attribute attribute(int code) {
    Attribute a = attrs.get(code);
    if (a == null && readMode && code < 0) {
      return Attribute.plain(Keyword.byId(-code), code);
    }
    return a;
  }

  @Override
  public Attribute attribute(Keyword ident) {
    return attribute(Datom.attrCode(ident));
  }

  @Override
  public int attrCode(Object attr) {
    if (!(attr instanceof Keyword k)) {
      return NO_ATTR;
    }
    int c = Datom.attrCode(k);
    return readMode || attrs.containsKey(c) || k.namespace() != null && k.namespace().equals("db")
        ? c
        : NO_ATTR;
  }

  @Override
  public Keyword attrIdent(int code) {
    return Keyword.byId(-code);
  }

  @Override
  public long entid(Object eid) {
    if (eid instanceof Number n) {
      return n.longValue();
    }
    if (eid instanceof Keyword k) {
      for (Datom d : search(ANY, Datom.attrCode(IDENT), k, ANY)) {
        return d.e;
      }
      return ANY;
    }
    if (eid instanceof List<?> l && l.size() == 2) {
      int a = attrCode(l.get(0));
      Attribute at = attribute(a);
      if (at == null || !at.isUnique()) {
        throw DatahikeException.of(
            "lookup-ref/unique", "Lookup ref attribute should be marked as :db/unique: " + eid);
      }
      for (Datom d : search(ANY, a, l.get(1), ANY)) {
        return d.e;
      }
      return ANY;
    }
    throw DatahikeException.of("entity-id/syntax", "Expected number or lookup ref, got " + eid);
  }

  @Override
  public Iterable<Datom> search(long e, int a, Object v, long tx) {
    searches++;
    List<Datom> out = new ArrayList<>();
    for (Datom d : datoms) {
      if ((e == ANY || d.e == e)
          && (a == ANY_A || d.a == a)
          && (v == null || Values.equal(d.v, v))
          && (tx == ANY || d.tx() == tx)
          && (history || d.added())) {
        out.add(d);
      }
    }
    scanned += out.size();
    return out;
  }

  @Override
  public Iterable<Datom> datoms(IndexType index, long e, int a, Object v, long tx) {
    return search(e, a, v, tx);
  }

  @Override
  public Iterable<Datom> valueRange(int a, Object from, Object to) {
    searches++;
    List<Datom> out = new ArrayList<>();
    for (Datom d : datoms) {
      if (d.a == a
          && (history || d.added())
          && (from == null || Values.compare(d.v, from) >= 0)
          && (to == null || Values.compare(d.v, to) <= 0)) {
        out.add(d);
      }
    }
    out.sort((x, y) -> Values.compare(x.v, y.v));
    scanned += out.size();
    return out;
  }

  @Override
  public long estimateCount(long e, int a, Object v) {
    long n = 0;
    for (Datom d : datoms) {
      if ((e == ANY || d.e == e)
          && (a == ANY_A || d.a == a)
          && (v == null || Values.equal(d.v, v))
          && (history || d.added())) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean isHistory() {
    return history;
  }

  @Override
  public boolean attributeRefs() {
    return false;
  }

  @Override
  public long maxTx() {
    long m = 536870912L;
    for (Datom d : datoms) {
      m = Math.max(m, d.tx());
    }
    return m;
  }
}
