package datahike.query;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.db.Db;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Datahike's database functions for queries: {@code get-else}, {@code get-some}, {@code missing?},
 * and the nested query {@code q}.
 */
final class DbFns {
  private DbFns() {}

  static Db db(Object o, String fn) {
    if (o instanceof Db d) {
      return d;
    }
    throw DatahikeException.of(
        "query/where", fn + ": the first argument must be a database, got " + Forms.print(o));
  }

  /** The entity id a value names, or -1 when it names none. */
  static long entity(Db db, Object e) {
    if (e instanceof Number n) {
      return n.longValue();
    }
    if (e == null) {
      return Db.ANY;
    }
    return db.entid(e);
  }

  static Datom first(Db db, long e, int a) {
    if (e == Db.ANY || a == Db.NO_ATTR) {
      return null;
    }
    for (Datom d : db.search(e, a, null, Db.ANY)) {
      if (d.added()) {
        return d;
      }
    }
    return null;
  }

  static void register() {
    BuiltIns.def(
        "get-else",
        args -> {
          Db db = db(args[0], "get-else");
          if (args[3] == null) {
            throw DatahikeException.of(
                "query/where", "get-else: nil default value is not supported");
          }
          Datom d = first(db, entity(db, args[1]), db.attrCode(args[2]));
          return d != null ? d.v() : args[3];
        });
    BuiltIns.def(
        "get-some",
        args -> {
          Db db = db(args[0], "get-some");
          long e = entity(db, args[1]);
          for (int i = 2; i < args.length; i++) {
            Datom d = first(db, e, db.attrCode(args[i]));
            if (d != null) {
              return new ArrayList<>(Arrays.asList(db.attrIdent(d.a()), d.v()));
            }
          }
          return null;
        });
    BuiltIns.def(
        "missing?",
        args -> {
          Db db = db(args[0], "missing?");
          long e = entity(db, args[1]);
          if (e == Db.ANY) {
            return true;
          }
          Object a = args[2];
          if (a instanceof Keyword k && k.isReverse()) {
            int code = db.attrCode(k.reverse());
            if (code == Db.NO_ATTR) {
              return true;
            }
            for (Datom d : db.search(Db.ANY, code, e, Db.ANY)) {
              if (d.added()) {
                return false;
              }
            }
            return true;
          }
          return first(db, e, db.attrCode(a)) == null;
        });
    QueryFn q =
        args -> {
          List<Object> inputs = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
          Object query = args[0];
          if (query instanceof Map<?, ?> m && m.containsKey(Keyword.of("query"))) {
            Object a = m.get(Keyword.of("args"));
            if (a instanceof List<?> l) {
              inputs = new ArrayList<>(l);
            }
            query = m.get(Keyword.of("query"));
          }
          return Query.q(query, inputs, QueryOptions.DEFAULTS);
        };
    BuiltIns.def("q", q);
    BuiltIns.def("datahike.query/q", q);
    BuiltIns.def("datahike.api/q", q);
  }
}
