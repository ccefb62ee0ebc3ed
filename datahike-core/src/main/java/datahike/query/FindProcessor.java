package datahike.query;

import datahike.DatahikeException;
import datahike.db.Db;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.pull.Pull;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns the final relation into Datahike's result: collects the find and with variables,
 * aggregates per group, pulls, applies offset and limit, and shapes the result by the find spec
 * (set of tuples, bag with {@code :with}, collection, tuple, scalar, or maps with
 * {@code :keys/:syms/:strs}).
 */
final class FindProcessor {
  private FindProcessor() {}

  static Object result(ParsedQuery q, Context ctx, Map<Symbol, Object> inputs, QueryOptions opts) {
    List<FindSpec.Elem> elems = q.find().elements();
    List<Symbol> vars = new ArrayList<>();
    for (FindSpec.Elem e : elems) {
      if (!vars.contains(e.var())) {
        vars.add(e.var());
      }
    }
    for (Symbol w : q.with()) {
      if (!vars.contains(w)) {
        vars.add(w);
      }
    }
    List<Object[]> rows;
    if (ctx.empty) {
      rows = new ArrayList<>();
    } else {
      List<Symbol> unknown = new ArrayList<>();
      for (Symbol v : vars) {
        if (!ctx.bound(v)) {
          unknown.add(v);
        }
      }
      if (!unknown.isEmpty()) {
        throw DatahikeException.of(
            "query/parse",
            "Query for unknown vars: " + Forms.print(unknown),
            "vars",
            unknown,
            "form",
            q.form());
      }
      if (plainRelation(q, opts)) {
        return relationResult(ctx.take(vars), vars);
      }
      rows = ctx.take(vars).project(vars).rows;
    }
    boolean aggregate = false;
    for (FindSpec.Elem e : elems) {
      aggregate |= e instanceof FindSpec.AggElem;
    }
    int[] cols = new int[elems.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = vars.indexOf(elems.get(i).var());
    }
    List<Object[]> out = aggregate ? aggregate(elems, cols, rows, inputs) : project(cols, rows);
    if (!aggregate && !q.with().isEmpty()) {
      // a bag: keep duplicates
    } else if (!aggregate && elems.size() < vars.size()) {
      out = distinct(out);
    }
    pull(elems, out, ctx, inputs);
    long offset = opts.offset() >= 0 ? opts.offset() : q.offset();
    long limit = opts.limit() >= 0 ? opts.limit() : q.limit();
    if (offset > 0 || limit >= 0) {
      int from = (int) Math.min(Math.max(offset, 0), out.size());
      int to = limit >= 0 ? (int) Math.min((long) from + limit, out.size()) : out.size();
      out = out.subList(from, to);
    }
    return shape(q, out);
  }

  /** A relation of plain variables, no :with, :keys, offset or limit: one pass suffices. */
  private static boolean plainRelation(ParsedQuery q, QueryOptions opts) {
    if (!(q.find() instanceof FindSpec.Rel)
        || !q.with().isEmpty()
        || q.returnKind() != null
        || opts.offset() > 0
        || opts.limit() >= 0
        || q.offset() > 0
        || q.limit() >= 0) {
      return false;
    }
    for (FindSpec.Elem e : q.find().elements()) {
      if (!(e instanceof FindSpec.VarElem)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The set of distinct {@code vars} tuples of {@code rel}, built in one pass: each row becomes a
   * {@link ResultTuple} and the set itself removes duplicates.
   */
  private static Object relationResult(Relation rel, List<Symbol> vars) {
    int[] cols = rel.columns(vars);
    LinkedHashSet<Object> out = new LinkedHashSet<>(Math.max(16, rel.size() * 4 / 3 + 1));
    boolean identity = cols.length == rel.vars.length;
    for (int i = 0; i < cols.length && identity; i++) {
      identity = cols[i] == i;
    }
    for (Object[] r : rel.rows) {
      // The relation was taken out of the context: its rows can become the result's.
      Object[] o = identity ? r : new Object[cols.length];
      if (!identity) {
        for (int i = 0; i < cols.length; i++) {
          o[i] = r[cols[i]];
        }
      }
      out.add(new ResultTuple(o));
    }
    return out;
  }

  private static List<Object[]> project(int[] cols, List<Object[]> rows) {
    List<Object[]> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      Object[] o = new Object[cols.length];
      for (int i = 0; i < cols.length; i++) {
        o[i] = r[cols[i]];
      }
      out.add(o);
    }
    return out;
  }

  private static List<Object[]> distinct(List<Object[]> rows) {
    java.util.Set<Key> seen = new java.util.HashSet<>();
    List<Object[]> out = new ArrayList<>();
    for (Object[] r : rows) {
      if (seen.add(new Key(r))) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<Object[]> aggregate(
      List<FindSpec.Elem> elems, int[] cols, List<Object[]> rows, Map<Symbol, Object> inputs) {
    List<Integer> groupCols = new ArrayList<>();
    for (int i = 0; i < elems.size(); i++) {
      if (!(elems.get(i) instanceof FindSpec.AggElem)) {
        groupCols.add(cols[i]);
      }
    }
    int[] gc = groupCols.stream().mapToInt(Integer::intValue).toArray();
    Map<Key, List<Object[]>> groups = new LinkedHashMap<>();
    for (Object[] r : rows) {
      groups.computeIfAbsent(Key.of(r, gc), k -> new ArrayList<>()).add(r);
    }
    List<Object[]> out = new ArrayList<>();
    for (List<Object[]> g : groups.values()) {
      Object[] o = new Object[elems.size()];
      for (int i = 0; i < elems.size(); i++) {
        FindSpec.Elem e = elems.get(i);
        if (e instanceof FindSpec.AggElem a) {
          List<Object> values = new ArrayList<>(g.size());
          for (Object[] r : g) {
            values.add(r[cols[i]]);
          }
          o[i] = aggregate(a, values, inputs);
        } else {
          o[i] = g.get(0)[cols[i]];
        }
      }
      out.add(o);
    }
    return out;
  }

  private static Object aggregate(FindSpec.AggElem a, List<Object> values, Map<Symbol, Object> in) {
    List<Object> args = new ArrayList<>();
    for (Term t : a.args()) {
      if (t instanceof Term.Const c) {
        args.add(c.value());
      } else if (t.var() != null) {
        args.add(input(in, t.var()));
      } else {
        args.add(null);
      }
    }
    AggregateFn f;
    if (a.fn() != null) {
      f = Aggregates.resolve(a.fn());
      if (f == null) {
        QueryFn qf = QueryFunctions.resolve(a.fn());
        if (qf == null) {
          throw DatahikeException.of(
              "query/unknown-function",
              "Unknown aggregate function '" + a.fn(),
              "fn",
              a.fn());
        }
        f = (as, vs) -> {
          Object[] all = new Object[as.size() + 1];
          for (int i = 0; i < as.size(); i++) {
            all[i] = as.get(i);
          }
          all[as.size()] = vs;
          return qf.invoke(all);
        };
      }
    } else {
      Object fn = input(in, a.fnVar());
      if (fn instanceof AggregateFn af) {
        f = af;
      } else {
        QueryFn qf = BuiltIns.asFn(fn);
        f = (as, vs) -> qf.invoke(vs);
      }
    }
    try {
      return f.aggregate(args, values);
    } catch (DatahikeException e) {
      throw e;
    } catch (RuntimeException e) {
      // A built-in or user aggregate over values it cannot handle (mixed types, a bad n).
      throw DatahikeException.of(
          "query/aggregate",
          "Aggregate " + (a.fn() != null ? a.fn() : a.fnVar()) + " failed: " + e.getMessage(),
          "fn", a.fn() != null ? a.fn() : a.fnVar(),
          e);
    }
  }

  private static Object input(Map<Symbol, Object> in, Symbol var) {
    if (!in.containsKey(var)) {
      throw DatahikeException.of(
          "query/parse", "Unknown input " + var + " in :find", "var", var);
    }
    return in.get(var);
  }

  private static void pull(
      List<FindSpec.Elem> elems, List<Object[]> rows, Context ctx, Map<Symbol, Object> inputs) {
    for (int i = 0; i < elems.size(); i++) {
      if (!(elems.get(i) instanceof FindSpec.PullElem p)) {
        continue;
      }
      Object src = ctx.source(p.src() != null ? p.src() : Forms.DEFAULT_SRC);
      if (!(src instanceof Db db)) {
        throw DatahikeException.of(
            "query/pull", "pull needs a database source, got " + Forms.print(src));
      }
      Object pattern = p.pattern() != null ? p.pattern() : input(inputs, p.patternVar());
      for (Object[] r : rows) {
        long eid = PatternOps.entity(db, r[i]);
        r[i] = eid == Db.ANY ? null : Pull.pull(db, pattern, eid);
      }
    }
  }

  private static Object key(ParsedQuery q, int i) {
    Symbol s = q.returnNames().get(i);
    if (q.returnKind() == Keyword.of("keys")) {
      return Keyword.of(s.fullName());
    }
    if (q.returnKind() == Keyword.of("strs")) {
      return s.fullName();
    }
    return s;
  }

  private static Object row(ParsedQuery q, Object[] r) {
    List<Object> l = new ArrayList<>(r.length);
    for (Object o : r) {
      l.add(o);
    }
    if (q.returnKind() == null) {
      return l;
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < r.length; i++) {
      m.put(key(q, i), r[i]);
    }
    return m;
  }

  private static Object shape(ParsedQuery q, List<Object[]> rows) {
    FindSpec spec = q.find();
    if (spec instanceof FindSpec.Scalar) {
      return rows.isEmpty() ? null : rows.get(0)[0];
    }
    if (spec instanceof FindSpec.Tuple) {
      return rows.isEmpty() ? null : row(q, rows.get(0));
    }
    if (spec instanceof FindSpec.Coll) {
      List<Object> out = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        out.add(r[0]);
      }
      return out;
    }
    if (!q.with().isEmpty()) {
      List<Object> out = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        out.add(row(q, r));
      }
      return out;
    }
    LinkedHashSet<Object> out = new LinkedHashSet<>();
    for (Object[] r : rows) {
      out.add(row(q, r));
    }
    return out;
  }
}
