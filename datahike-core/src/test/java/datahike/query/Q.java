package datahike.query;

import datahike.edn.EdnReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: read EDN, run a query. */
final class Q {
  private Q() {}

  static Object edn(String s) {
    return EdnReader.read(s);
  }

  static Object q(String query, Object... inputs) {
    return Query.q(edn(query), new ArrayList<>(Arrays.asList(inputs)), QueryOptions.DEFAULTS);
  }

  @SuppressWarnings("unchecked")
  static java.util.Collection<Object> coll(Object o) {
    return (java.util.Collection<Object>) o;
  }

  static List<Object> list(Object... xs) {
    return new ArrayList<>(Arrays.asList(xs));
  }
}
