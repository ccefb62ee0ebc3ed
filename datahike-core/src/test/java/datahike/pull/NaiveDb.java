package datahike.pull;

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
 * A test-only {@link Db} over a sorted list of datoms and a map of attributes, with keyword
 * attributes encoded as {@link Datom#attrCode}. Every lookup is a linear scan; this is a reference
 * for the pull tests, not an index.
 */
final class NaiveDb implements Db {
  static final long TX = 536870913L;

  private static final Keyword IDENT = Keyword.of("db/ident");
  private static final Keyword CARDINALITY = Keyword.of("db/cardinality");
  private static final Keyword VALUE_TYPE = Keyword.of("db/valueType");
  private static final Keyword UNIQUE = Keyword.of("db/unique");
  private static final Keyword INDEX = Keyword.of("db/index");
  private static final Keyword COMPONENT = Keyword.of("db/isComponent");
  private static final Keyword MANY = Keyword.of("db.cardinality/many");

  private static final Comparator<Datom> EAVT =
      Comparator.<Datom>comparingLong(d -> d.e)
          .thenComparingInt(d -> d.a)
          .thenComparing((x, y) -> Values.compare(x.v, y.v));

  private final Map<Integer, Attribute> attrs;
  private final List<Datom> datoms;

  private NaiveDb(Map<Integer, Attribute> attrs, List<Datom> datoms) {
    this.attrs = attrs;
    this.datoms = datoms;
    datoms.sort(EAVT);
  }

  /**
   * A database from a Datahike schema map and {@code [e a v]} triples, both as EDN text, e.g.
   * {@code of("{:friend {:db/valueType :db.type/ref}}", "[[1 :friend 2]]")}.
   */
  static NaiveDb of(String schemaEdn, String triplesEdn) {
    Map<Integer, Attribute> attrs = new HashMap<>();
    Map<?, ?> schema = (Map<?, ?>) TestEdn.read(schemaEdn);
    for (Map.Entry<?, ?> e : schema.entrySet()) {
      Keyword ident = (Keyword) e.getKey();
      Map<?, ?> props = (Map<?, ?>) e.getValue();
      Attribute a =
          new Attribute(
              ident,
              Datom.attrCode(ident),
              (Keyword) props.get(VALUE_TYPE),
              props.get(CARDINALITY) == MANY,
              (Keyword) props.get(UNIQUE),
              Boolean.TRUE.equals(props.get(INDEX)),
              Boolean.TRUE.equals(props.get(COMPONENT)),
              false,
              null,
              null,
              null);
      attrs.put(a.code(), a);
    }
    List<Datom> datoms = new ArrayList<>();
    for (Object t : (List<?>) TestEdn.read(triplesEdn)) {
      List<?> triple = (List<?>) t;
      Keyword a = (Keyword) triple.get(1);
      datoms.add(new Datom((Long) triple.get(0), Datom.attrCode(a), triple.get(2), TX, true));
    }
    return new NaiveDb(attrs, datoms);
  }

  /** This database with more {@code [e a v]} triples. */
  NaiveDb with(String triplesEdn) {
    List<Datom> more = new ArrayList<>(datoms);
    for (Object t : (List<?>) TestEdn.read(triplesEdn)) {
      List<?> triple = (List<?>) t;
      Keyword a = (Keyword) triple.get(1);
      more.add(new Datom((Long) triple.get(0), Datom.attrCode(a), triple.get(2), TX + 1, true));
    }
    return new NaiveDb(attrs, more);
  }

  @Override
  public Attribute attribute(int code) {
    Attribute a = attrs.get(code);
    if (a == null && code < 0) {
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
    if (attr instanceof Keyword k) {
      return Datom.attrCode(k);
    }
    if (attr instanceof String s) {
      return Datom.attrCode(Keyword.of(s));
    }
    return NO_ATTR;
  }

  @Override
  public Keyword attrIdent(int code) {
    return Keyword.byId(-code);
  }

  @Override
  public long entid(Object eid) {
    if (eid instanceof Long l) {
      return l;
    }
    if (eid instanceof Keyword k) {
      return first(search(ANY, attrCode(IDENT), k, ANY));
    }
    if (eid instanceof List<?> l && l.size() == 2) {
      int code = attrCode(l.get(0));
      Attribute a = attribute(code);
      if (a == null || !a.isUnique()) {
        throw DatahikeException.of(
            "lookup-ref/unique", "Lookup ref attribute should be marked as :db/unique: " + eid);
      }
      return l.get(1) == null ? ANY : first(search(ANY, code, l.get(1), ANY));
    }
    throw DatahikeException.of(
        "entity-id/syntax", "Expected number or lookup ref for entity id, got " + eid);
  }

  private static long first(Iterable<Datom> ds) {
    for (Datom d : ds) {
      return d.e;
    }
    return ANY;
  }

  @Override
  public Iterable<Datom> search(long e, int a, Object v, long tx) {
    List<Datom> out = new ArrayList<>();
    for (Datom d : datoms) {
      if ((e == ANY || d.e == e)
          && (a == ANY_A || d.a == a)
          && (v == null || Values.equal(v, d.v))
          && (tx == ANY || d.tx() == tx)) {
        out.add(d);
      }
    }
    return out;
  }

  @Override
  public Iterable<Datom> datoms(IndexType index, long e, int a, Object v, long tx) {
    return search(e, a, v, tx);
  }

  @Override
  public Iterable<Datom> valueRange(int a, Object from, Object to) {
    List<Datom> out = new ArrayList<>();
    for (Datom d : search(ANY, a, null, ANY)) {
      if ((from == null || Values.compare(d.v, from) >= 0)
          && (to == null || Values.compare(d.v, to) <= 0)) {
        out.add(d);
      }
    }
    out.sort((x, y) -> Values.compare(x.v, y.v));
    return out;
  }

  @Override
  public long estimateCount(long e, int a, Object v) {
    long n = 0;
    for (Datom ignored : search(e, a, v, ANY)) {
      n++;
    }
    return n;
  }

  @Override
  public boolean isHistory() {
    return false;
  }

  @Override
  public boolean attributeRefs() {
    return false;
  }

  @Override
  public long maxTx() {
    return TX + 1;
  }
}
