package datahike.query;

import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A relation: named columns ({@code vars}) and rows of values ({@code Object[]}, one slot per
 * column). Rows may repeat; consumers deduplicate where Datahike's set semantics require.
 */
final class Relation {
  final Symbol[] vars;
  final List<Object[]> rows;

  Relation(Symbol[] vars, List<Object[]> rows) {
    this.vars = vars;
    this.rows = rows;
  }

  /** The relation with no columns and one (empty) row: the identity of the product. */
  static Relation unit() {
    List<Object[]> rows = new ArrayList<>(1);
    rows.add(new Object[0]);
    return new Relation(new Symbol[0], rows);
  }

  int size() {
    return rows.size();
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The column of {@code var}, or -1. */
  int indexOf(Symbol var) {
    for (int i = 0; i < vars.length; i++) {
      if (vars[i] == var) {
        return i;
      }
    }
    return -1;
  }

  boolean has(Symbol var) {
    return indexOf(var) >= 0;
  }

  /** The columns of {@code vs} (each must be present). */
  int[] columns(List<Symbol> vs) {
    int[] c = new int[vs.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = indexOf(vs.get(i));
    }
    return c;
  }

  /** The distinct rows of this relation restricted to {@code vs} (all present). */
  Relation project(List<Symbol> vs) {
    int[] cols = columns(vs);
    Set<Key> seen = new HashSet<>();
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rows) {
      Key k = Key.of(row, cols);
      if (seen.add(k)) {
        out.add(k.vals);
      }
    }
    return new Relation(vs.toArray(new Symbol[0]), out);
  }

  /**
   * The natural join of two relations (a product when they share no column): the columns of
   * {@code a}, then those of {@code b} that {@code a} lacks.
   */
  static Relation join(Relation a, Relation b, Deadline deadline) {
    List<Symbol> shared = new ArrayList<>();
    List<Integer> bKeep = new ArrayList<>();
    for (int j = 0; j < b.vars.length; j++) {
      if (a.has(b.vars[j])) {
        shared.add(b.vars[j]);
      } else {
        bKeep.add(j);
      }
    }
    Symbol[] vars = new Symbol[a.vars.length + bKeep.size()];
    System.arraycopy(a.vars, 0, vars, 0, a.vars.length);
    for (int j = 0; j < bKeep.size(); j++) {
      vars[a.vars.length + j] = b.vars[bKeep.get(j)];
    }
    int[] keep = bKeep.stream().mapToInt(Integer::intValue).toArray();
    List<Object[]> out = new ArrayList<>();
    if (shared.isEmpty()) {
      for (Object[] ra : a.rows) {
        for (Object[] rb : b.rows) {
          deadline.tick();
          out.add(concat(ra, rb, keep));
        }
      }
      return new Relation(vars, out);
    }
    int[] ac = a.columns(shared);
    int[] bc = b.columns(shared);
    Map<Key, List<Object[]>> index = new HashMap<>();
    for (Object[] rb : b.rows) {
      index.computeIfAbsent(Key.of(rb, bc), k -> new ArrayList<>(2)).add(rb);
    }
    for (Object[] ra : a.rows) {
      List<Object[]> matches = index.get(Key.of(ra, ac));
      if (matches != null) {
        for (Object[] rb : matches) {
          deadline.tick();
          out.add(concat(ra, rb, keep));
        }
      }
    }
    return new Relation(vars, out);
  }

  static Object[] concat(Object[] ra, Object[] rb, int[] keep) {
    Object[] r = new Object[ra.length + keep.length];
    System.arraycopy(ra, 0, r, 0, ra.length);
    for (int j = 0; j < keep.length; j++) {
      r[ra.length + j] = rb[keep[j]];
    }
    return r;
  }
}
