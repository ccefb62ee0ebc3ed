package datahike.server.codec;

import datahike.Datom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Deep equality for round trips: byte arrays by content, NaN equal to NaN, lists in order. */
final class Same {
  private Same() {}

  static boolean same(Object a, Object b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a instanceof byte[] x && b instanceof byte[] y) return Arrays.equals(x, y);
    if (a instanceof Double x && b instanceof Double y) return x.equals(y);
    if (a instanceof Datom x && b instanceof Datom y) return x.equals(y) && same(x.v(), y.v());
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
      return true;
    }
    if (a instanceof Set<?> x && b instanceof Set<?> y) {
      if (x.size() != y.size()) return false;
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) if (!same(i.next(), j.next())) return false;
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) return false;
      Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
      Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
      while (i.hasNext()) {
        Map.Entry<?, ?> p = i.next();
        Map.Entry<?, ?> q = j.next();
        if (!same(p.getKey(), q.getKey()) || !same(p.getValue(), q.getValue())) return false;
      }
      return true;
    }
    if (a instanceof datahike.edn.Tagged x && b instanceof datahike.edn.Tagged y) {
      return x.tag().equals(y.tag()) && same(x.value(), y.value());
    }
    return a.equals(b) && a.getClass() == b.getClass();
  }
}
