package datahike.query;

import datahike.DatahikeException;
import datahike.edn.EdnList;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions and predicates every query can call, with Clojure's semantics: the built-ins of
 * Datahike's query namespace, the clojure.core and clojure.string functions people use in queries,
 * and Datahike's database functions (see {@link DbFns}).
 */
final class BuiltIns {
  /** Most values {@code range} builds: beyond, an error instead of running out of memory. */
  static final long RANGE_MAX = 10_000_000;

  private BuiltIns() {}

  private static final Map<Symbol, QueryFn> FNS = new HashMap<>();

  /** The built-in named {@code name}, or null. */
  static QueryFn get(Symbol name) {
    QueryFn f = FNS.get(name);
    if (f == null && name.namespace() != null && name.namespace().equals("clojure.core")) {
      f = FNS.get(Symbol.of(name.name()));
    }
    return f;
  }

  static void def(String name, QueryFn f) {
    FNS.put(Symbol.of(name), f);
  }

  private static void alias(String name, String existing) {
    FNS.put(Symbol.of(name), FNS.get(Symbol.of(existing)));
  }

  static {
    comparisons();
    arithmetic();
    logic();
    collections();
    TextFns.register();
    DbFns.register();
  }

  // ---- comparisons

  /** Clojure {@code <}-style chains, with Datahike's dispatch on the first argument. */
  private interface Order {
    boolean holds(int c);
  }

  private static QueryFn chain(Order o) {
    return args -> {
      if (args.length == 0) {
        throw new DatahikeException(
            Keyword.of("query/arity"), "Wrong number of args (0)", Map.of(), null);
      }
      boolean numeric = args[0] instanceof Number;
      for (int i = 0; i + 1 < args.length; i++) {
        int c = numeric ? Num.compare(args[i], args[i + 1]) : Clj.compare(args[i], args[i + 1]);
        if (!o.holds(c)) {
          return false;
        }
      }
      return true;
    };
  }

  private static void comparisons() {
    def(
        "=",
        args -> {
          for (int i = 0; i + 1 < args.length; i++) {
            if (!Clj.equal(args[i], args[i + 1])) {
              return false;
            }
          }
          return true;
        });
    def(
        "==",
        args -> {
          for (int i = 0; i + 1 < args.length; i++) {
            if (Num.compare(args[i], args[i + 1]) != 0) {
              return false;
            }
          }
          return true;
        });
    def("not=", args -> !((Boolean) FNS.get(Symbol.of("=")).invoke(args)));
    alias("!=", "not=");
    def("<", chain(c -> c < 0));
    def(">", chain(c -> c > 0));
    def("<=", chain(c -> c <= 0));
    def(">=", chain(c -> c >= 0));
    alias("before?", "<");
    alias("after?", ">");
    def("compare", args -> (long) Integer.signum(Clj.compare(args[0], args[1])));
    def("identical?", args -> args[0] == args[1]);
    def(
        "-differ?",
        args -> {
          int half = args.length / 2;
          return !Clj.equal(
              Arrays.asList(Arrays.copyOfRange(args, 0, half)),
              Arrays.asList(Arrays.copyOfRange(args, half, args.length)));
        });
  }

  // ---- arithmetic

  private static void arithmetic() {
    def(
        "+",
        args -> {
          Number acc = 0L;
          for (Object a : args) {
            acc = Num.add(acc, a);
          }
          return acc;
        });
    def(
        "*",
        args -> {
          Number acc = 1L;
          for (Object a : args) {
            acc = Num.mul(acc, a);
          }
          return acc;
        });
    def(
        "-",
        args -> {
          if (args.length == 1) {
            return Num.sub(0L, args[0]);
          }
          Number acc = Num.num(args[0]);
          for (int i = 1; i < args.length; i++) {
            acc = Num.sub(acc, args[i]);
          }
          return acc;
        });
    def(
        "/",
        args -> {
          if (args.length == 1) {
            return Num.div(1L, args[0]);
          }
          Number acc = Num.num(args[0]);
          for (int i = 1; i < args.length; i++) {
            acc = Num.div(acc, args[i]);
          }
          return acc;
        });
    def("quot", args -> Num.quot(args[0], args[1]));
    def("rem", args -> Num.rem(args[0], args[1]));
    def("mod", args -> Num.mod(args[0], args[1]));
    def("inc", args -> Num.add(args[0], 1L));
    def("dec", args -> Num.sub(args[0], 1L));
    def(
        "max",
        args -> {
          Object best = Num.num(args[0]);
          for (Object a : args) {
            if (Num.compare(a, best) > 0) {
              best = a;
            }
          }
          return best;
        });
    def(
        "min",
        args -> {
          Object best = Num.num(args[0]);
          for (Object a : args) {
            if (Num.compare(a, best) < 0) {
              best = a;
            }
          }
          return best;
        });
    def("abs", args -> Num.sign(Num.num(args[0])) < 0 ? Num.sub(0L, args[0]) : args[0]);
    def("zero?", args -> Num.isZero(Num.num(args[0])));
    def("pos?", args -> Num.sign(Num.num(args[0])) > 0);
    def("neg?", args -> Num.sign(Num.num(args[0])) < 0);
    def("even?", args -> integer(args[0]) % 2 == 0);
    def("odd?", args -> integer(args[0]) % 2 != 0);
    def(
        "rand",
        args ->
            args.length == 0
                ? ThreadLocalRandom.current().nextDouble()
                : ThreadLocalRandom.current().nextDouble() * Num.toDouble(args[0]));
    def(
        "rand-int",
        args ->
            (long) Math.floor(ThreadLocalRandom.current().nextDouble() * Num.toDouble(args[0])));
    def("number?", args -> args[0] instanceof Number);
    def("int?", args -> Num.kindOrNeg(args[0]) == Num.LONG);
    def("double?", args -> args[0] instanceof Double);
  }

  private static long integer(Object o) {
    Number n = Num.num(o);
    int k = Num.kind(n);
    if (k == Num.LONG) {
      return n.longValue();
    }
    if (k == Num.BIGINT) {
      return ((java.math.BigInteger) n).testBit(0) ? 1 : 0;
    }
    throw new TypeMismatch("Argument must be an integer: " + Forms.print(o));
  }

  // ---- logic and types

  private static void logic() {
    def("true?", args -> Boolean.TRUE.equals(args[0]));
    def("false?", args -> Boolean.FALSE.equals(args[0]));
    def("nil?", args -> args[0] == null);
    def("some?", args -> args[0] != null);
    def("not", args -> !Forms.truthy(args[0]));
    def(
        "and",
        args -> {
          Object r = true;
          for (Object a : args) {
            r = a;
            if (!Forms.truthy(a)) {
              return a;
            }
          }
          return r;
        });
    def(
        "or",
        args -> {
          Object r = null;
          for (Object a : args) {
            r = a;
            if (Forms.truthy(a)) {
              return a;
            }
          }
          return r;
        });
    def(
        "complement",
        args -> {
          QueryFn f = asFn(args[0]);
          return (QueryFn) xs -> !Forms.truthy(f.invoke(xs));
        });
    def("identity", args -> args[0]);
    def("ground", args -> args[0]);
    def("untuple", args -> args[0]);
    def("meta", args -> null);
    def("type", args -> args[0] == null ? null : args[0].getClass());
    def(
        "keyword",
        args -> {
          if (args.length == 2) {
            return Keyword.of((String) args[0], (String) args[1]);
          }
          Object a = args[0];
          if (a == null) {
            return null;
          }
          if (a instanceof Keyword) {
            return a;
          }
          if (a instanceof Symbol s) {
            return Keyword.of(s.fullName());
          }
          if (a instanceof String s) {
            return Keyword.of(s);
          }
          throw new TypeMismatch("keyword: not a string " + Forms.print(a));
        });
    def(
        "symbol",
        args ->
            args.length == 2
                ? Symbol.of(args[0] + "/" + args[1])
                : args[0] instanceof Keyword k
                    ? Symbol.of(k.fullName())
                    : Symbol.of(Clj.str(args[0])));
    def(
        "name",
        args -> {
          Object a = args[0];
          if (a instanceof Keyword k) {
            return k.name();
          }
          if (a instanceof Symbol s) {
            return s.name();
          }
          if (a instanceof String s) {
            return s;
          }
          throw new TypeMismatch("name: not a named value " + Forms.print(a));
        });
    def(
        "namespace",
        args -> {
          Object a = args[0];
          if (a instanceof Keyword k) {
            return k.namespace();
          }
          if (a instanceof Symbol s) {
            return s.namespace();
          }
          throw new TypeMismatch("namespace: not a named value " + Forms.print(a));
        });
    def("keyword?", args -> args[0] instanceof Keyword);
    def("symbol?", args -> args[0] instanceof Symbol);
    def("string?", args -> args[0] instanceof String);
    def("boolean?", args -> args[0] instanceof Boolean);
    def("inst?", args -> args[0] instanceof java.util.Date);
    def("uuid?", args -> args[0] instanceof java.util.UUID);
    def("coll?", args -> args[0] instanceof Collection || args[0] instanceof Map);
    def("map?", args -> args[0] instanceof Map);
    def("vector?", args -> args[0] instanceof List && !(args[0] instanceof EdnList));
    def("set?", args -> args[0] instanceof Set);
  }

  /** A value usable as a function: a QueryFn, or a symbol naming one. */
  static QueryFn asFn(Object o) {
    if (o instanceof QueryFn f) {
      return f;
    }
    if (o instanceof Symbol s) {
      QueryFn f = QueryFunctions.resolve(s);
      if (f != null) {
        return f;
      }
    }
    if (o instanceof java.util.function.Function<?, ?> f) {
      @SuppressWarnings("unchecked")
      java.util.function.Function<Object, Object> g =
          (java.util.function.Function<Object, Object>) f;
      return args -> g.apply(args[0]);
    }
    throw new TypeMismatch("Not a function: " + Forms.print(o));
  }

  // ---- collections

  /** The elements of a collection value (a map gives its entries as [k v] lists). */
  static List<Object> seq(Object o) {
    List<Object> out = new ArrayList<>();
    if (o == null) {
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.add(Arrays.asList(e.getKey(), e.getValue()));
      }
    } else if (o instanceof Collection<?> c) {
      out.addAll(c);
    } else if (o instanceof Object[] a) {
      out.addAll(Arrays.asList(a));
    } else if (o instanceof String s) {
      for (int i = 0; i < s.length(); i++) {
        out.add(s.charAt(i));
      }
    } else {
      throw new TypeMismatch("Don't know how to create a sequence from " + Forms.print(o));
    }
    return out;
  }

  private static void collections() {
    def("vector", args -> new ArrayList<>(Arrays.asList(args)));
    def("tuple", args -> new ArrayList<>(Arrays.asList(args)));
    def("list", args -> EdnList.of(args));
    def("set", args -> new LinkedHashSet<>(seq(args[0])));
    def("hash-set", args -> new LinkedHashSet<>(Arrays.asList(args)));
    def("vec", args -> seq(args[0]));
    def(
        "hash-map",
        args -> {
          if (args.length % 2 != 0) {
            throw new TypeMismatch(
                "No value supplied for key: " + Forms.print(args[args.length - 1]));
          }
          Map<Object, Object> m = new LinkedHashMap<>();
          for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i], args[i + 1]);
          }
          return m;
        });
    alias("array-map", "hash-map");
    def("count", args -> (long) Clj.count(args[0]));
    def(
        "range",
        args -> {
          long start = 0;
          long end;
          long step = 1;
          if (args.length == 1) {
            end = Num.num(args[0]).longValue();
          } else {
            start = Num.num(args[0]).longValue();
            end = Num.num(args[1]).longValue();
            if (args.length > 2) {
              step = Num.num(args[2]).longValue();
            }
          }
          double size = step == 0 ? Double.POSITIVE_INFINITY : ((double) end - start) / step;
          if (size > RANGE_MAX) {
            throw DatahikeException.of(
                "query/range",
                "range of " + (step == 0 ? "infinitely many" : String.valueOf((long) size))
                    + " values exceeds the limit of " + RANGE_MAX,
                "start", start, "end", end, "step", step);
          }
          List<Object> out = new ArrayList<>();
          if (step > 0) {
            for (long i = start; i < end; i += step) {
              out.add(i);
            }
          } else if (step < 0) {
            for (long i = start; i > end; i += step) {
              out.add(i);
            }
          }
          return out;
        });
    def("not-empty", args -> Clj.count(args[0]) == 0 ? null : args[0]);
    def("empty?", args -> Clj.count(args[0]) == 0);
    def("seq", args -> Clj.count(args[0]) == 0 ? null : seq(args[0]));
    def("first", args -> Clj.count(args[0]) == 0 ? null : seq(args[0]).get(0));
    def(
        "second",
        args -> {
          List<Object> s = seq(args[0]);
          return s.size() < 2 ? null : s.get(1);
        });
    def(
        "last",
        args -> {
          List<Object> s = seq(args[0]);
          return s.isEmpty() ? null : s.get(s.size() - 1);
        });
    def(
        "rest",
        args -> {
          List<Object> s = seq(args[0]);
          return s.isEmpty() ? EdnList.of() : EdnList.copyOf(s.subList(1, s.size()));
        });
    def(
        "nth",
        args -> {
          List<Object> s = seq(args[0]);
          int i = Num.num(args[1]).intValue();
          if (i >= 0 && i < s.size()) {
            return s.get(i);
          }
          if (args.length > 2) {
            return args[2];
          }
          throw new IndexOutOfBoundsException("nth: index " + i);
        });
    def(
        "contains?",
        args -> {
          Object c = args[0];
          Object k = args[1];
          if (c == null) {
            return false;
          }
          if (c instanceof Map<?, ?> m) {
            return m.containsKey(k);
          }
          if (c instanceof Set<?> s) {
            return s.contains(k);
          }
          if (c instanceof List<?> l || c instanceof String) {
            if (!(k instanceof Number n) || Num.kind(n) != Num.LONG) {
              return false;
            }
            long i = n.longValue();
            return i >= 0 && i < Clj.count(c);
          }
          throw new TypeMismatch("contains? not supported on " + c.getClass().getSimpleName());
        });
    def(
        "get",
        args -> {
          Object v = get(args[0], args[1]);
          return v == null && args.length > 2 ? args[2] : v;
        });
    def(
        "keys",
        args ->
            args[0] instanceof Map<?, ?> m && !m.isEmpty() ? new ArrayList<>(m.keySet()) : null);
    def(
        "vals",
        args ->
            args[0] instanceof Map<?, ?> m && !m.isEmpty() ? new ArrayList<>(m.values()) : null);
    def(
        "conj",
        args -> {
          Object c = args[0];
          if (c instanceof Set<?> s) {
            Set<Object> out = new LinkedHashSet<>(s);
            out.addAll(Arrays.asList(args).subList(1, args.length));
            return out;
          }
          List<Object> out = new ArrayList<>(seq(c));
          out.addAll(Arrays.asList(args).subList(1, args.length));
          return out;
        });
    def(
        "concat",
        args -> {
          List<Object> out = new ArrayList<>();
          for (Object a : args) {
            out.addAll(seq(a));
          }
          return out;
        });
  }

  /** Clojure {@code get}: maps by key, vectors and strings by index, sets by member. */
  static Object get(Object c, Object k) {
    if (c instanceof Map<?, ?> m) {
      return m.get(k);
    }
    if (c instanceof Set<?> s) {
      return s.contains(k) ? k : null;
    }
    if (c instanceof List<?> l && k instanceof Number n && Num.kind(n) == Num.LONG) {
      long i = n.longValue();
      return i >= 0 && i < l.size() ? l.get((int) i) : null;
    }
    if (c instanceof String s && k instanceof Number n && Num.kind(n) == Num.LONG) {
      long i = n.longValue();
      return i >= 0 && i < s.length() ? s.charAt((int) i) : null;
    }
    return null;
  }
}
