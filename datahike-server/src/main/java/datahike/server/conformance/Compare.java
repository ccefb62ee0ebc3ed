package datahike.server.conformance;

import datahike.Datom;
import datahike.Entity;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How conformance results are compared with expectations: values are first normalized to plain
 * EDN-like data (Lists, Sets, Maps, Longs; datoms as {@code [e a v tx added]}; entities as {@code
 * {:db/id n}}), then compared by the case's {@code :cmp} mode (see FORMAT.md). Internal; the same
 * rules as the core runner's.
 */
final class Compare {
  // Ported from datahike-core's datahike.conformance.Compare, which is package-private there.
  private Compare() {}

  static final Keyword DB_ID = Keyword.of("db/id");

  /** Plain data for any result value. */
  static Object normalize(Object o) {
    if (o == null) return null;
    if (o instanceof Integer || o instanceof Short || o instanceof Byte)
      return ((Number) o).longValue();
    if (o instanceof Datom d) {
      List<Object> l = new ArrayList<>(5);
      l.add(d.e());
      l.add(d.attr());
      l.add(normalize(d.v()));
      l.add(d.tx());
      l.add(d.added());
      return l;
    }
    if (o instanceof Entity e) return Map.of(DB_ID, e.id());
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> r = new LinkedHashMap<>();
      for (Map.Entry<?, ?> en : m.entrySet())
        r.put(normalize(en.getKey()), normalize(en.getValue()));
      return r;
    }
    if (o instanceof Set<?> s) {
      Set<Object> r = new LinkedHashSet<>();
      for (Object x : s) r.add(normalize(x));
      return r;
    }
    if (o instanceof Collection<?> c) {
      List<Object> r = new ArrayList<>(c.size());
      for (Object x : c) r.add(normalize(x));
      return r;
    }
    if (o instanceof Object[] arr) return normalize(java.util.Arrays.asList(arr));
    if (o instanceof byte[] b) return java.util.HexFormat.of().formatHex(b);
    return o;
  }

  /**
   * Deep equality: lists and vectors alike, maps and sets by content, numbers by type and value.
   */
  static boolean same(Object a, Object b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
      return true;
    }
    if (a instanceof Set<?> x && b instanceof Set<?> y)
      return sameBag(new ArrayList<>(x), new ArrayList<>(y));
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) return false;
      for (Map.Entry<?, ?> en : x.entrySet()) {
        Object key = findKey(y, en.getKey());
        if (key == NONE || !same(en.getValue(), y.get(key))) return false;
      }
      return true;
    }
    if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y)
      return x.compareTo(y) == 0;
    return a.equals(b);
  }

  private static final Object NONE = new Object();

  private static Object findKey(Map<?, ?> m, Object k) {
    if (m.containsKey(k)) return k;
    for (Object x : m.keySet()) if (same(x, k)) return x;
    return NONE;
  }

  /** Multiset equality under {@link #same}. */
  static boolean sameBag(List<?> a, List<?> b) {
    if (a.size() != b.size()) return false;
    Map<Integer, List<Object>> buckets = new HashMap<>();
    for (Object x : b) buckets.computeIfAbsent(hash(x), k -> new ArrayList<>()).add(x);
    for (Object x : a) {
      List<Object> l = buckets.get(hash(x));
      if (l == null) return false;
      boolean found = false;
      for (int i = 0; i < l.size(); i++) {
        if (same(x, l.get(i))) {
          l.remove(i);
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }

  /** Set equality under {@link #same} (duplicates ignored). */
  static boolean sameSet(Collection<?> a, Collection<?> b) {
    return sameBag(dedupe(a), dedupe(b));
  }

  private static List<Object> dedupe(Collection<?> c) {
    List<Object> out = new ArrayList<>();
    outer:
    for (Object x : c) {
      for (Object y : out) if (same(x, y)) continue outer;
      out.add(x);
    }
    return out;
  }

  /** A hash consistent with {@link #same}. */
  static int hash(Object o) {
    if (o == null) return 0;
    if (o instanceof List<?> l) {
      int h = 1;
      for (Object x : l) h = h * 31 + hash(x);
      return h;
    }
    if (o instanceof Set<?> s) {
      int h = 7;
      for (Object x : s) h += hash(x);
      return h;
    }
    if (o instanceof Map<?, ?> m) {
      int h = 11;
      for (Map.Entry<?, ?> en : m.entrySet()) h += hash(en.getKey()) ^ hash(en.getValue());
      return h;
    }
    if (o instanceof java.math.BigDecimal b) return b.stripTrailingZeros().hashCode();
    return o.hashCode();
  }

  /** True when {@code actual} (a datom as a list) starts with the expected prefix. */
  static boolean datomPrefix(List<?> expected, List<?> actual) {
    if (expected.size() > actual.size()) return false;
    for (int i = 0; i < expected.size(); i++)
      if (!same(expected.get(i), actual.get(i))) return false;
    return true;
  }

  /** Datoms compared by written prefix, as a set or (exact) in order. */
  static boolean datoms(List<?> expected, List<?> actual, boolean exact) {
    if (expected.size() != actual.size()) {
      if (exact) return false;
    }
    if (exact) {
      for (int i = 0; i < expected.size(); i++) {
        if (!datomPrefix((List<?>) expected.get(i), (List<?>) actual.get(i))) return false;
      }
      return true;
    }
    List<Object> rest = new ArrayList<>(actual);
    for (Object e : expected) {
      boolean found = false;
      for (int i = 0; i < rest.size(); i++) {
        if (datomPrefix((List<?>) e, (List<?>) rest.get(i))) {
          rest.remove(i);
          found = true;
          break;
        }
      }
      if (!found) {
        // Duplicates in a set comparison: an expected datom may match one already used.
        boolean dup = false;
        for (Object a : actual) if (datomPrefix((List<?>) e, (List<?>) a)) dup = true;
        if (!dup) return false;
      }
    }
    return rest.isEmpty();
  }
}
