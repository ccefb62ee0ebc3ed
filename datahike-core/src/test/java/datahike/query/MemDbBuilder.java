package datahike.query;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.schema.Attribute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link MemDb} from a Datahike schema map and simple tx-data (entity maps, {@code
 * [:db/add e a v]}, tempids, lookup refs): enough for the query conformance cases. Test-only.
 */
final class MemDbBuilder {
  private static final Keyword DB_ID = Keyword.of("db/id");
  private static final Keyword VALUE_TYPE = Keyword.of("db/valueType");
  private static final Keyword CARDINALITY = Keyword.of("db/cardinality");
  private static final Keyword UNIQUE = Keyword.of("db/unique");
  private static final Keyword INDEX = Keyword.of("db/index");
  private static final Keyword COMPONENT = Keyword.of("db/isComponent");
  private static final Keyword MANY = Keyword.of("db.cardinality/many");
  private static final Keyword ADD = Keyword.of("db/add");

  final Map<Integer, Attribute> attrs = new HashMap<>();
  final List<Datom> datoms = new ArrayList<>();
  final boolean readMode;
  long nextId = 1;
  long tx = 536870913L;

  MemDbBuilder(boolean readMode) {
    this.readMode = readMode;
  }

  MemDb build() {
    return new MemDb(new HashMap<>(attrs), datoms, readMode, false);
  }

  void schema(Map<?, ?> schema) {
    for (Map.Entry<?, ?> e : schema.entrySet()) {
      attr((Keyword) e.getKey(), (Map<?, ?>) e.getValue());
    }
  }

  private void attr(Keyword ident, Map<?, ?> props) {
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

  private Attribute attribute(Keyword k) {
    Attribute a = attrs.get(Datom.attrCode(k));
    return a != null ? a : Attribute.plain(k, Datom.attrCode(k));
  }

  void transact(List<?> txData) {
    Map<String, Long> tempids = new HashMap<>();
    for (Object op : txData) {
      if (op instanceof Map<?, ?> m) {
        Object id = m.get(DB_ID);
        long e = resolveId(id, tempids);
        if (m.containsKey(MemDb.IDENT) && m.containsKey(VALUE_TYPE)) {
          attr((Keyword) m.get(MemDb.IDENT), m);
        }
        for (Map.Entry<?, ?> en : m.entrySet()) {
          if (en.getKey() == DB_ID) {
            continue;
          }
          add(e, (Keyword) en.getKey(), en.getValue(), tempids, true);
        }
      } else if (op instanceof List<?> l && l.get(0) == ADD) {
        long e = resolveId(l.get(1), tempids);
        add(e, (Keyword) l.get(2), l.get(3), tempids, false);
      } else {
        throw new UnsupportedOperationException("tx op " + op);
      }
    }
    tx++;
  }

  private long resolveId(Object id, Map<String, Long> tempids) {
    if (id instanceof Number n) {
      nextId = Math.max(nextId, n.longValue() + 1);
      return n.longValue();
    }
    if (id instanceof String s) {
      return tempids.computeIfAbsent(s, k -> nextId++);
    }
    if (id instanceof List<?>) {
      return build().entid(id);
    }
    if (id == null) {
      return nextId++;
    }
    throw new UnsupportedOperationException("entity id " + id);
  }

  private void add(long e, Keyword a, Object v, Map<String, Long> tempids, boolean fromMap) {
    Attribute at = attribute(a);
    if (at.many() && fromMap && v instanceof Collection<?> c) {
      for (Object x : c) {
        add(e, a, x, tempids, false);
      }
      return;
    }
    if (at.isRef()) {
      if (v instanceof String s) {
        v = tempids.computeIfAbsent(s, k -> nextId++);
      } else if (v instanceof List<?> || v instanceof Keyword) {
        v = build().entid(v);
      }
    }
    int code = Datom.attrCode(a);
    final Object val = v;
    if (!at.many()) {
      datoms.removeIf(d -> d.e == e && d.a == code);
    } else {
      datoms.removeIf(d -> d.e == e && d.a == code && datahike.index.Values.equal(d.v, val));
    }
    datoms.add(new Datom(e, code, val, tx, true));
  }
}
