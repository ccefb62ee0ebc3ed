package datahike.index;

import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The one total order over datom values, and the equality that goes with it.
 *
 * <p>Values of different kinds sort by kind rank (nil, boolean, number, string, keyword, symbol,
 * uuid, instant, bytes, list, set, map, other), values of one kind by their natural order. Numbers
 * compare numerically across Long, Double, Float, BigInteger and BigDecimal (as Clojure's {@code
 * compare} does); numerically equal numbers of different classes then order by class so that
 * {@code 1} and {@code 1.0} stay distinct values, as they are in Datahike.
 *
 * <p>Internal: not part of the public API.
 */
public final class Values {
  private Values() {}

  private static int rank(Object o) {
    if (o == null) return 0;
    if (o instanceof Boolean) return 1;
    if (o instanceof Number) return 2;
    if (o instanceof String) return 3;
    if (o instanceof Keyword) return 4;
    if (o instanceof Symbol) return 5;
    if (o instanceof UUID) return 6;
    if (o instanceof Date) return 7;
    if (o instanceof byte[]) return 8;
    if (o instanceof List) return 9;
    if (o instanceof Set) return 10;
    if (o instanceof Map) return 11;
    if (o instanceof Character) return 12;
    return 13;
  }

  /** Compares two values in the total order described in the class comment. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object x, Object y) {
    if (x == y) return 0;
    if (x instanceof Long a && y instanceof Long b) return Long.compare(a, b);
    if (x instanceof String a && y instanceof String b) return a.compareTo(b);
    int rx = rank(x);
    int ry = rank(y);
    if (rx != ry) return Integer.compare(rx, ry);
    switch (rx) {
      case 0:
        return 0;
      case 1:
        return Boolean.compare((Boolean) x, (Boolean) y);
      case 2:
        return compareNumbers((Number) x, (Number) y);
      case 4:
        return ((Keyword) x).compareTo((Keyword) y);
      case 5:
        return ((Symbol) x).compareTo((Symbol) y);
      case 6:
        return ((UUID) x).compareTo((UUID) y);
      case 7:
        return ((Date) x).compareTo((Date) y);
      case 8:
        return Arrays.compareUnsigned((byte[]) x, (byte[]) y);
      case 9:
        return compareSequences((List<?>) x, (List<?>) y);
      case 10:
      case 11:
        {
          int c = Integer.compare(((Collection<?>) asCollection(x)).size(), asCollection(y).size());
          return c != 0 ? c : Integer.compare(hash(x), hash(y));
        }
      case 12:
        return ((Character) x).compareTo((Character) y);
      default:
        if (x.getClass() == y.getClass() && x instanceof Comparable c) {
          return c.compareTo(y);
        }
        int c = x.getClass().getName().compareTo(y.getClass().getName());
        return c != 0 ? c : x.toString().compareTo(y.toString());
    }
  }

  private static Collection<?> asCollection(Object o) {
    return o instanceof Map<?, ?> m ? m.entrySet() : (Collection<?>) o;
  }

  private static int compareSequences(List<?> a, List<?> b) {
    // Clojure compares vectors by length first, then element-wise; tuples share a length.
    int c = Integer.compare(a.size(), b.size());
    if (c != 0) return c;
    Iterator<?> ia = a.iterator();
    Iterator<?> ib = b.iterator();
    while (ia.hasNext()) {
      c = compare(ia.next(), ib.next());
      if (c != 0) return c;
    }
    return 0;
  }

  private static int numberClassRank(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) return 0;
    if (n instanceof BigInteger) return 1;
    if (n instanceof BigDecimal) return 2;
    if (n instanceof Float) return 3;
    return 4;
  }

  /** Numeric comparison across number classes, ties broken by class. */
  public static int compareNumbers(Number x, Number y) {
    int rx = numberClassRank(x);
    int ry = numberClassRank(y);
    int c;
    if (rx == 0 && ry == 0) {
      c = Long.compare(x.longValue(), y.longValue());
    } else if (rx >= 3 || ry >= 3) {
      c = Double.compare(x.doubleValue(), y.doubleValue());
    } else {
      c = toBigDecimal(x).compareTo(toBigDecimal(y));
    }
    return c != 0 ? c : Integer.compare(rx, ry);
  }

  private static BigDecimal toBigDecimal(Number n) {
    if (n instanceof BigDecimal b) return b;
    if (n instanceof BigInteger b) return new BigDecimal(b);
    return BigDecimal.valueOf(n.longValue());
  }

  /** Value equality as Datahike sees it (Clojure {@code =}; byte arrays by content). */
  public static boolean equal(Object x, Object y) {
    if (x == y) return true;
    if (x == null || y == null) return false;
    if (x instanceof byte[] a && y instanceof byte[] b) return Arrays.equals(a, b);
    if (x instanceof Number && y instanceof Number) {
      return compareNumbers((Number) x, (Number) y) == 0;
    }
    if (x instanceof List<?> a && y instanceof List<?> b) {
      if (a.size() != b.size()) return false;
      Iterator<?> ia = a.iterator();
      Iterator<?> ib = b.iterator();
      while (ia.hasNext()) {
        if (!equal(ia.next(), ib.next())) return false;
      }
      return true;
    }
    return x.equals(y);
  }

  /** A hash consistent with {@link #equal}. */
  public static int hash(Object x) {
    // The common cases first (same hash as Objects.hashCode).
    if (x instanceof Long l) return Long.hashCode(l);
    if (x instanceof String s) return s.hashCode();
    if (x == null) return 0;
    if (x instanceof byte[] b) return Arrays.hashCode(b);
    if (x instanceof List<?> l) {
      int h = 1;
      for (Object o : l) h = 31 * h + hash(o);
      return h;
    }
    // Numbers that equal() calls equal: an Integer and a Long of the same value, BigDecimals that
    // differ only in scale (1.0M and 1.00M).
    if (x instanceof Integer || x instanceof Short || x instanceof Byte) {
      return Long.hashCode(((Number) x).longValue());
    }
    if (x instanceof BigDecimal d) return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
    return Objects.hashCode(x);
  }
}
