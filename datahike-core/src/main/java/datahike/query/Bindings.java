package datahike.query;

import datahike.DatahikeException;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Turns a value and a {@link Binding} into a relation (Datahike's {@code in->rel}). */
final class Bindings {
  private Bindings() {}

  /** The variables of {@code b}, in order. */
  static List<Symbol> vars(Binding b) {
    List<Symbol> out = new ArrayList<>();
    Binding.collectVars(b, out);
    return out;
  }

  /** True for values a collection or tuple binding accepts (strings are not). */
  static boolean seqable(Object o) {
    return o instanceof Collection
        || o instanceof Map
        || o instanceof Object[]
        || o instanceof Map.Entry;
  }

  /** The elements of a seqable value; map entries come as [k v] lists. */
  static List<Object> elements(Object o) {
    if (o instanceof Map.Entry<?, ?> e) {
      return java.util.Arrays.asList(e.getKey(), e.getValue());
    }
    return BuiltIns.seq(o);
  }

  /** Binds {@code value}; the relation's columns are {@link #vars}(b). */
  static Relation bind(Binding b, Object value, Deadline deadline) {
    List<Symbol> vars = vars(b);
    Symbol[] cols = vars.toArray(new Symbol[0]);
    List<Object[]> rows = new ArrayList<>();
    // Fast paths for the common shapes: scalar, [?x ...], [[?a ?b]] of scalars.
    if (b instanceof Binding.Scalar) {
      rows.add(new Object[] {value});
      return new Relation(cols, rows);
    }
    if (b instanceof Binding.Ignore) {
      return Relation.unit();
    }
    if (b instanceof Binding.Coll c && c.element() instanceof Binding.Scalar) {
      checkSeqable(value, b, "collection");
      for (Object o : elements(value)) {
        deadline.tick();
        rows.add(new Object[] {o});
      }
      return new Relation(cols, rows);
    }
    if (b instanceof Binding.Coll c
        && c.element() instanceof Binding.Tuple t
        && flat(t)
        && vars.size() == scalars(t)) {
      checkSeqable(value, b, "collection");
      for (Object o : elements(value)) {
        deadline.tick();
        rows.add(flatTuple(t, o, cols.length));
      }
      return new Relation(cols, rows);
    }
    if (b instanceof Binding.Tuple t && flat(t) && vars.size() == scalars(t)) {
      rows.add(flatTuple(t, value, cols.length));
      return new Relation(cols, rows);
    }
    return general(b, value, deadline);
  }

  private static boolean flat(Binding.Tuple t) {
    for (Binding e : t.elements()) {
      if (!(e instanceof Binding.Scalar || e instanceof Binding.Ignore)) {
        return false;
      }
    }
    return true;
  }

  private static int scalars(Binding.Tuple t) {
    int n = 0;
    for (Binding e : t.elements()) {
      if (e instanceof Binding.Scalar) {
        n++;
      }
    }
    return n;
  }

  private static Object[] flatTuple(Binding.Tuple t, Object value, int width) {
    checkSeqable(value, t, "tuple");
    List<Object> es = elements(value);
    if (es.size() < t.elements().size()) {
      throw notEnough(value, t);
    }
    Object[] row = new Object[width];
    int j = 0;
    for (int i = 0; i < t.elements().size(); i++) {
      if (t.elements().get(i) instanceof Binding.Scalar) {
        row[j++] = es.get(i);
      }
    }
    return row;
  }

  private static Relation general(Binding b, Object value, Deadline deadline) {
    if (b instanceof Binding.Scalar s) {
      List<Object[]> rows = new ArrayList<>();
      rows.add(new Object[] {value});
      return new Relation(new Symbol[] {s.var()}, rows);
    }
    if (b instanceof Binding.Ignore) {
      return Relation.unit();
    }
    if (b instanceof Binding.Coll c) {
      checkSeqable(value, b, "collection");
      List<Symbol> vars = vars(b);
      Relation acc = new Relation(vars.toArray(new Symbol[0]), new ArrayList<>());
      for (Object o : elements(value)) {
        Relation r = general(c.element(), o, deadline);
        int[] cols = r.columns(vars);
        for (Object[] row : r.rows) {
          Object[] out = new Object[cols.length];
          for (int i = 0; i < cols.length; i++) {
            out[i] = row[cols[i]];
          }
          acc.rows.add(out);
        }
      }
      return acc;
    }
    Binding.Tuple t = (Binding.Tuple) b;
    checkSeqable(value, b, "tuple");
    List<Object> es = elements(value);
    if (es.size() < t.elements().size()) {
      throw notEnough(value, t);
    }
    Relation acc = Relation.unit();
    for (int i = 0; i < t.elements().size(); i++) {
      acc = Relation.join(acc, general(t.elements().get(i), es.get(i), deadline), deadline);
    }
    return acc;
  }

  private static void checkSeqable(Object value, Binding b, String what) {
    if (!seqable(value)) {
      throw DatahikeException.of(
          "query/binding",
          "Cannot bind value " + Forms.print(value) + " to " + what + " " + print(b),
          "value",
          value);
    }
  }

  private static DatahikeException notEnough(Object value, Binding b) {
    return DatahikeException.of(
        "query/binding",
        "Not enough elements in a collection " + Forms.print(value) + " to bind tuple " + print(b),
        "value",
        value);
  }

  /** The binding as written. */
  static String print(Binding b) {
    if (b instanceof Binding.Scalar s) {
      return s.var().toString();
    }
    if (b instanceof Binding.Ignore) {
      return "_";
    }
    if (b instanceof Binding.Coll c) {
      return "[" + print(c.element()) + " ...]";
    }
    StringBuilder sb = new StringBuilder("[");
    List<Binding> es = ((Binding.Tuple) b).elements();
    for (int i = 0; i < es.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(print(es.get(i)));
    }
    return sb.append(']').toString();
  }
}
