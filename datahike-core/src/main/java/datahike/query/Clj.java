package datahike.query;

import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Clojure's {@code =} and {@code compare} over Java values. */
final class Clj {
  private Clj() {}

  /** Clojure {@code =}: numbers by category and value, collections by content. */
  static boolean equal(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return Num.equiv(x, y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!equal(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return java.util.Arrays.equals(x, y);
    }
    return a.equals(b);
  }

  private static int rank(Object o) {
    if (o == null) return 0;
    if (o instanceof Boolean) return 1;
    if (o instanceof Number) return 2;
    if (o instanceof String) return 3;
    if (o instanceof Keyword) return 4;
    if (o instanceof Symbol) return 5;
    if (o instanceof UUID) return 6;
    if (o instanceof Date) return 7;
    if (o instanceof List) return 9;
    if (o instanceof Set) return 10;
    if (o instanceof Map) return 11;
    if (o instanceof Character) return 12;
    return 13;
  }

  /**
   * Clojure {@code compare}: nil first; values of one kind by their order; numbers numerically;
   * vectors by length, then element by element. Values of different kinds do not compare ({@link
   * TypeMismatch}), as in Clojure.
   */
  static int compare(Object a, Object b) {
    if (a == b) {
      return 0;
    }
    if (a == null) {
      return -1;
    }
    if (b == null) {
      return 1;
    }
    if (a instanceof Number && b instanceof Number) {
      return Num.compare(a, b);
    }
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb || ra == 10 || ra == 11) {
      throw new TypeMismatch(
          a.getClass().getSimpleName()
              + " cannot be compared with "
              + b.getClass().getSimpleName());
    }
    if (ra == 9) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      int c = Integer.compare(x.size(), y.size());
      if (c != 0) {
        return c;
      }
      for (int i = 0; i < x.size(); i++) {
        c = compare(x.get(i), y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }
    return datahike.index.Values.compare(a, b);
  }

  /** The number of elements of a collection, map, string or array; 0 for nil. */
  static int count(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof Collection<?> c) {
      return c.size();
    }
    if (o instanceof Map<?, ?> m) {
      return m.size();
    }
    if (o instanceof CharSequence s) {
      return s.length();
    }
    if (o instanceof Object[] a) {
      return a.length;
    }
    if (o instanceof byte[] a) {
      return a.length;
    }
    if (o instanceof Map.Entry) {
      return 2;
    }
    throw new TypeMismatch("count not supported on " + o.getClass().getSimpleName());
  }

  /** Clojure {@code str} of one value. */
  static String str(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof String s) {
      return s;
    }
    if (o instanceof Character || o instanceof Number && !(o instanceof Double)) {
      return o.toString();
    }
    if (o instanceof Date || o instanceof UUID) {
      return o.toString();
    }
    return Forms.print(o);
  }
}
