package datahike.query;

import datahike.DatahikeException;
import datahike.db.Db;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a list of where clauses in a {@link Context}.
 *
 * <p>Planning is greedy and adaptive: before each step every clause that can run (its inputs are
 * bound) gets an estimated output size from the index counts ({@link Db#estimateCount}) and the
 * sizes of the relations it joins, and the cheapest runs next. Predicates, functions and negation
 * run as soon as their variables are bound (they only shrink or extend rows one for one); a
 * pattern runs as an index lookup per bound row when that is cheaper than scanning it, else as a
 * scan plus hash join; comparison predicates on a pattern's fresh value variable become index
 * range bounds. A {@code not} joins on the variables bound by the clauses written before it, as
 * in Datahike, wherever the planner places it.
 */
final class Executor {
  private Executor() {}

  private static final double DEFER = 1e15;

  /** Runs {@code clauses} in {@code ctx}. */
  static void run(Context ctx, List<Clause> clauses) {
    int n = clauses.size();
    Map<Clause, List<Symbol>> notJoins = textualJoins(ctx.boundVars(), clauses);
    Set<Symbol> bound = ctx.boundVars();
    boolean[] done = new boolean[n];
    Map<Clause, PatternOps.Resolved> resolved = new IdentityHashMap<>();
    int depth = ctx.engine.depth();
    for (int step = 0; step < n; step++) {
      ctx.deadline.check();
      int best = -1;
      double bestCost = Double.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        if (done[i]) {
          continue;
        }
        double c = cost(ctx, clauses.get(i), bound, notJoins, resolved, clauses, done);
        if (c < bestCost) {
          best = i;
          bestCost = c;
        }
      }
      if (best < 0) {
        for (int i = 0; i < n; i++) {
          if (!done[i]) {
            throw insufficient(clauses.get(i), bound);
          }
        }
      }
      Clause c = clauses.get(best);
      done[best] = true;
      List<Integer> walk = ctx.empty ? null : entityWalk(ctx, best, clauses, done, resolved);
      if (walk != null) {
        // The other members of the walk run in this step too.
        long t0 = System.nanoTime();
        List<PatternOps.Resolved> members = new ArrayList<>();
        double[] est = new double[walk.size()];
        for (int j = 0; j < walk.size(); j++) {
          done[walk.get(j)] = true;
          members.add(resolved.get(clauses.get(walk.get(j))));
          est[j] = j == 0 ? bestCost : PatternOps.estimate(members.get(j), ctx, false);
        }
        Symbol ev = EntityWalk.entityVar(ctx, members.get(0));
        String how = EntityWalk.run(ctx, ev, members);
        long ns = System.nanoTime() - t0;
        for (int j = 0; j < walk.size(); j++) {
          Clause m = clauses.get(walk.get(j));
          if (ctx.stats != null) {
            // One step: its time is reported on the first member, its rows on all.
            long rows = ctx.empty ? 0 : maxRows(ctx);
            ctx.stats.add(depth, m.form(), how, est[j], rows, j == 0 ? ns : 0);
          }
          ClauseParser.collectBound(m, bound);
        }
        step += walk.size() - 1;
        continue;
      }
      if (!ctx.empty) {
        boolean[] before = done.clone();
        long t0 = System.nanoTime();
        String how = exec(ctx, c, notJoins, resolved, clauses, done);
        long ns = System.nanoTime() - t0;
        if (ctx.stats != null) {
          ctx.stats.add(depth, c.form(), how, bestCost, ctx.empty ? 0 : maxRows(ctx), ns);
        }
        for (int i = 0; i < n; i++) {
          if (done[i] && !before[i]) {
            // A comparison answered by the range scan: listed, with the scan's rows.
            step++;
            if (ctx.stats != null) {
              ctx.stats.add(
                  depth, clauses.get(i).form(), "range-bound", -2, ctx.empty ? 0 : maxRows(ctx), 0);
            }
          }
        }
      }
      ClauseParser.collectBound(c, bound);
    }
  }

  private static long maxRows(Context ctx) {
    long rows = 0;
    for (Relation r : ctx.rels) {
      rows = Math.max(rows, r.size());
    }
    return rows;
  }

  /**
   * The clauses to run as one entity walk ({@link EntityWalk}) starting with the chosen clause
   * {@code first}: it and the pending patterns of the same source on the same bound entity
   * variable that would each run as a lookup, with distinct fresh variables; null when fewer than
   * two qualify.
   */
  private static List<Integer> entityWalk(
      Context ctx,
      int first,
      List<Clause> clauses,
      boolean[] done,
      Map<Clause, PatternOps.Resolved> resolved) {
    if (!(clauses.get(first) instanceof Clause.Pattern p0)
        || !(ctx.source(p0.src()) instanceof Db db)) {
      return null;
    }
    PatternOps.Resolved r0 = resolve(ctx, p0, db, resolved);
    Symbol ev = EntityWalk.entityVar(ctx, r0);
    if (ev == null) {
      return null;
    }
    int rows = ctx.relationOf(ev).size();
    if (!EntityWalk.lookupPays(r0, rows)) {
      return null;
    }
    List<Integer> out = new ArrayList<>();
    out.add(first);
    Set<Symbol> fresh = new HashSet<>();
    if (EntityWalk.fresh(r0) != null) {
      fresh.add(EntityWalk.fresh(r0));
    }
    for (int i = 0; i < clauses.size(); i++) {
      if (done[i]
          || !(clauses.get(i) instanceof Clause.Pattern p)
          || !java.util.Objects.equals(p.src(), p0.src())) {
        continue;
      }
      PatternOps.Resolved r = resolve(ctx, p, db, resolved);
      Symbol f = EntityWalk.fresh(r);
      if (EntityWalk.entityVar(ctx, r) == ev
          && (f == null || !fresh.contains(f))
          && EntityWalk.lookupPays(r, rows)) {
        out.add(i);
        if (f != null) {
          fresh.add(f);
        }
      }
    }
    return out.size() >= 2 ? out : null;
  }

  /**
   * The pattern resolved against {@code db}, its single-valued variables ({@link Context#single})
   * as constants; cached per clause until more of its variables become single-valued.
   */
  static PatternOps.Resolved resolve(
      Context ctx, Clause.Pattern p, Db db, Map<Clause, PatternOps.Resolved> cache) {
    List<Term> ts = p.terms();
    Object[] vals = null;
    int mask = 0;
    for (int i = 0; i < ts.size() && i < 5; i++) {
      Symbol v = ts.get(i).var();
      Object val = v == null ? null : ctx.single(v);
      // A list other than a lookup ref is no pattern constant (the pattern would reject it).
      if (val == null || (i == 2 && val instanceof List<?> l && l.size() != 2)) {
        continue;
      }
      if (vals == null) {
        vals = new Object[5];
      }
      vals[i] = val;
      mask |= 1 << i;
    }
    PatternOps.Resolved r = cache.get(p);
    if (r == null || r.singleMask != mask) {
      r = new PatternOps.Resolved(p, db, vals, mask);
      cache.put(p, r);
    }
    return r;
  }

  // ---- textual join variables of `not`

  private static Map<Clause, List<Symbol>> textualJoins(Set<Symbol> initial, List<Clause> clauses) {
    Map<Clause, List<Symbol>> out = new IdentityHashMap<>();
    Set<Symbol> bound = new HashSet<>(initial);
    for (Clause c : clauses) {
      if (c instanceof Clause.Not not) {
        if (not.joinVars() != null) {
          out.put(c, not.joinVars());
        } else {
          Set<Symbol> vars = new LinkedHashSet<>();
          for (Clause b : not.body()) {
            ClauseParser.collectVars(b, vars);
          }
          List<Symbol> j = new ArrayList<>();
          for (Symbol v : vars) {
            if (bound.contains(v)) {
              j.add(v);
            }
          }
          if (j.isEmpty()) {
            throw DatahikeException.of(
                "query/insufficient-bindings",
                "Insufficient bindings: none of "
                    + Forms.printSet(vars)
                    + " is bound in "
                    + Forms.print(c.form()),
                "form",
                c.form());
          }
          out.put(c, j);
        }
      }
      ClauseParser.collectBound(c, bound);
    }
    return out;
  }

  // ---- planning

  private static List<Symbol> unbound(Collection<Symbol> vars, Set<Symbol> bound) {
    List<Symbol> out = new ArrayList<>();
    for (Symbol v : vars) {
      if (!bound.contains(v) && !out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static List<Symbol> termVars(List<Term> ts, Term fn) {
    List<Symbol> out = new ArrayList<>();
    if (fn != null && fn.var() != null) {
      out.add(fn.var());
    }
    for (Term t : ts) {
      if (t.var() != null) {
        out.add(t.var());
      }
    }
    return out;
  }

  /** The variables that must be bound before {@code c} runs. */
  static List<Symbol> required(Context ctx, Clause c, Map<Clause, List<Symbol>> notJoins) {
    if (c instanceof Clause.Pred p) {
      return termVars(p.args(), p.fn());
    }
    if (c instanceof Clause.Fn f) {
      return termVars(f.args(), f.fn());
    }
    if (c instanceof Clause.Not) {
      return notJoins.get(c);
    }
    if (c instanceof Clause.Or o) {
      return o.required();
    }
    if (c instanceof Clause.RuleCall r) {
      List<RuleSet.Branch> bs = ctx.rules.branches(r.name());
      List<Symbol> out = new ArrayList<>();
      if (bs != null) {
        int k = bs.get(0).required().size();
        for (int i = 0; i < k && i < r.args().size(); i++) {
          if (r.args().get(i).var() != null) {
            out.add(r.args().get(i).var());
          }
        }
      }
      return out;
    }
    return List.of();
  }

  private static double cost(
      Context ctx,
      Clause c,
      Set<Symbol> bound,
      Map<Clause, List<Symbol>> notJoins,
      Map<Clause, PatternOps.Resolved> resolved,
      List<Clause> clauses,
      boolean[] done) {
    if (!unbound(required(ctx, c, notJoins), bound).isEmpty()) {
      return Double.MAX_VALUE;
    }
    if (c instanceof Clause.Pred || c instanceof Clause.Not) {
      return -2;
    }
    if (c instanceof Clause.Fn) {
      return -1;
    }
    if (ctx.empty) {
      return 0;
    }
    if (c instanceof Clause.Pattern p) {
      Object src = ctx.source(p.src());
      if (src instanceof Db db) {
        PatternOps.Resolved r = resolve(ctx, p, db, resolved);
        Range range = range(ctx, r, clauses, done);
        return PatternOps.estimate(r, ctx, range != null);
      }
      double size = src instanceof Collection<?> coll ? coll.size() : 1000;
      List<Symbol> vs = termVars(p.terms(), null);
      List<Symbol> b = new ArrayList<>(vs);
      b.removeAll(unbound(vs, bound));
      return b.isEmpty() ? size : Math.min(size, ctx.sizeFor(b));
    }
    List<Symbol> vars = new ArrayList<>();
    if (c instanceof Clause.Or o) {
      vars.addAll(o.required());
      vars.addAll(o.free());
    } else if (c instanceof Clause.RuleCall r) {
      boolean constant = false;
      for (Term t : r.args()) {
        if (t.var() != null) {
          vars.add(t.var());
        } else if (t instanceof Term.Const) {
          constant = true;
        }
      }
      if (constant) {
        List<Symbol> b = new ArrayList<>(vars);
        b.removeAll(unbound(vars, bound));
        return 4 * ctx.sizeFor(b) + 1;
      }
    }
    List<Symbol> b = new ArrayList<>(vars);
    b.removeAll(unbound(vars, bound));
    return b.isEmpty() ? DEFER : 4 * ctx.sizeFor(b) + 1;
  }

  private static DatahikeException insufficient(Clause c, Set<Symbol> bound) {
    List<Symbol> missing;
    if (c instanceof Clause.Pred p) {
      missing = unbound(termVars(p.args(), p.fn()), bound);
    } else if (c instanceof Clause.Fn f) {
      missing = unbound(termVars(f.args(), f.fn()), bound);
    } else if (c instanceof Clause.Not n) {
      missing = unbound(n.joinVars() != null ? n.joinVars() : List.of(), bound);
    } else if (c instanceof Clause.Or o) {
      missing = unbound(o.required(), bound);
    } else if (c instanceof Clause.RuleCall r) {
      missing = unbound(termVars(r.args(), null), bound);
    } else {
      missing = List.of();
    }
    return DatahikeException.of(
        "query/insufficient-bindings",
        "Insufficient bindings: "
            + Forms.printSet(missing)
            + " not bound in "
            + Forms.print(c.form()),
        "vars",
        missing,
        "form",
        c.form());
  }

  // ---- range bounds from comparison predicates

  private static final Symbol LT = Symbol.of("<");
  private static final Symbol GT = Symbol.of(">");
  private static final Symbol LE = Symbol.of("<=");
  private static final Symbol GE = Symbol.of(">=");
  private static final Symbol BEFORE = Symbol.of("before?");
  private static final Symbol AFTER = Symbol.of("after?");

  /**
   * Inclusive bounds of a pattern's value variable, and the indices of the predicates the range
   * scan answers completely (they need not run as filters after it).
   */
  record Range(Object from, Object to, List<Integer> answered) {}

  private static final Keyword TYPE_LONG = Keyword.of("db.type/long");

  /**
   * Bounds for the fresh value variable of {@code r} from the pending comparison predicates whose
   * other arguments are constants or single-valued bindings; null for none.
   *
   * <p>A two-argument built-in {@code <}, {@code >}, {@code <=} or {@code >=} against a Long, on
   * an attribute of type long (whose values are all integers), is answered by the range alone: a
   * strict bound becomes the inclusive one next to it ({@code (> ?s 5)}: from 6).
   */
  static Range range(Context ctx, PatternOps.Resolved r, List<Clause> clauses, boolean[] done) {
    if (r.a == Db.ANY_A || r.impossible || !(r.terms[2] instanceof Term.Var vt)) {
      return null;
    }
    Symbol v = vt.symbol();
    if (ctx.bound(v)) {
      return null;
    }
    Object from = null;
    Object to = null;
    List<Integer> answered = null;
    boolean longs = r.attr != null && r.attr.valueType() == TYPE_LONG;
    for (int i = 0; i < clauses.size(); i++) {
      if (done[i] || !(clauses.get(i) instanceof Clause.Pred p)) {
        continue;
      }
      if (!(p.fn() instanceof Term.Const fc) || !(fc.value() instanceof Symbol f)) {
        continue;
      }
      boolean ascending = f == LT || f == LE || f == BEFORE;
      boolean descending = f == GT || f == GE || f == AFTER;
      if (!ascending && !descending) {
        continue;
      }
      List<Term> args = p.args();
      int at = -1;
      Object[] vals = new Object[args.size()];
      boolean ok = true;
      for (int j = 0; j < args.size() && ok; j++) {
        Term t = args.get(j);
        if (t.var() == v) {
          ok = at < 0;
          at = j;
        } else if (t instanceof Term.Const c) {
          vals[j] = c.value();
        } else if (t.var() != null) {
          Relation rel = ctx.relationOf(t.var());
          ok = rel != null && rel.size() == 1;
          if (ok) {
            vals[j] = rel.rows.get(0)[rel.indexOf(t.var())];
          }
        } else {
          ok = false;
        }
      }
      if (!ok || at < 0) {
        continue;
      }
      boolean exact =
          longs
              && args.size() == 2
              && vals[1 - at] instanceof Long
              && f != BEFORE
              && f != AFTER
              && QueryFunctions.resolve(f) == BuiltIns.get(f);
      for (int j = 0; j < args.size(); j++) {
        if (j == at || vals[j] == null) {
          continue;
        }
        boolean lower = (j < at) == ascending;
        Object bound = vals[j];
        if (exact && (f == LT || f == GT)) {
          long c = (Long) bound;
          exact = lower ? c != Long.MAX_VALUE : c != Long.MIN_VALUE;
          bound = !exact ? bound : lower ? c + 1 : c - 1;
        }
        if (lower) {
          if (from == null || datahike.index.Values.compare(bound, from) > 0) {
            from = bound;
          }
        } else if (to == null || datahike.index.Values.compare(bound, to) < 0) {
          to = bound;
        }
      }
      if (exact) {
        if (answered == null) {
          answered = new ArrayList<>(2);
        }
        answered.add(i);
      }
    }
    return from == null && to == null
        ? null
        : new Range(from, to, answered == null ? List.of() : answered);
  }

  // ---- execution

  private static String exec(
      Context ctx,
      Clause c,
      Map<Clause, List<Symbol>> notJoins,
      Map<Clause, PatternOps.Resolved> resolved,
      List<Clause> clauses,
      boolean[] done) {
    if (c instanceof Clause.Pattern p) {
      Object src = ctx.source(p.src());
      if (src instanceof Db db) {
        PatternOps.Resolved r = resolve(ctx, p, db, resolved);
        Range range = range(ctx, r, clauses, done);
        Object from = range == null ? null : range.from();
        Object to = range == null ? null : range.to();
        String how = PatternOps.matchDb(ctx, r, from, to);
        if (range != null && how.startsWith("range")) {
          // The scan answered these comparisons: they are done with it.
          for (int i : range.answered()) {
            done[i] = true;
          }
        }
        return how;
      }
      if (src instanceof Collection<?> coll) {
        return PatternOps.matchColl(ctx, p, coll);
      }
      if (src instanceof Object[] arr) {
        return PatternOps.matchColl(ctx, p, List.of(arr));
      }
      throw DatahikeException.of(
          "query/where",
          "Cannot match pattern " + Forms.print(p.form()) + " against source " + Forms.print(src),
          "form",
          p.form());
    }
    if (c instanceof Clause.Pred p) {
      FnOps.pred(ctx, p);
      return "filter";
    }
    if (c instanceof Clause.Fn f) {
      FnOps.fn(ctx, f);
      return "function";
    }
    if (c instanceof Clause.Not not) {
      not(ctx, not, notJoins.get(c));
      return "anti-join";
    }
    if (c instanceof Clause.Or or) {
      or(ctx, or);
      return "union";
    }
    ctx.engine.call(ctx, (Clause.RuleCall) c);
    return "rule";
  }

  /** The distinct rows of {@code ctx} over {@code vars}; every one must be bound. */
  static Relation collect(Context ctx, List<Symbol> vars, Object form) {
    List<Symbol> missing = new ArrayList<>();
    for (Symbol v : vars) {
      if (!ctx.bound(v)) {
        missing.add(v);
      }
    }
    if (!missing.isEmpty()) {
      throw DatahikeException.of(
          "query/insufficient-bindings",
          "Insufficient bindings: "
              + Forms.printSet(missing)
              + " not bound in "
              + Forms.print(form),
          "vars",
          missing,
          "form",
          form);
    }
    return ctx.take(vars).project(vars);
  }

  private static void not(Context ctx, Clause.Not not, List<Symbol> join) {
    Relation rel = ctx.take(join);
    Relation seed = rel.project(join);
    Context sub = ctx.child(not.src(), null);
    sub.negated = true;
    sub.add(seed);
    run(sub, not.body());
    if (sub.empty) {
      ctx.add(rel);
      return;
    }
    Set<Key> drop = new HashSet<>();
    for (Object[] row : collect(sub, join, not.form()).rows) {
      drop.add(new Key(row));
    }
    int[] cols = rel.columns(join);
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rel.rows) {
      if (!drop.contains(Key.of(row, cols))) {
        out.add(row);
      }
    }
    ctx.add(new Relation(rel.vars, out));
  }

  private static void or(Context ctx, Clause.Or or) {
    List<Symbol> join = new ArrayList<>(or.required());
    join.addAll(or.free());
    List<Symbol> boundJoin = new ArrayList<>();
    for (Symbol v : join) {
      if (ctx.bound(v)) {
        boundJoin.add(v);
      }
    }
    Relation rel = ctx.take(boundJoin);
    Relation seed = rel.project(boundJoin);
    Set<Key> seen = new HashSet<>();
    List<Object[]> union = new ArrayList<>();
    for (List<Clause> branch : or.branches()) {
      Context sub = ctx.child(or.src(), null);
      sub.negated = ctx.negated;
      sub.add(seed);
      run(sub, branch);
      if (sub.empty) {
        continue;
      }
      for (Object[] row : collect(sub, join, or.form()).rows) {
        if (seen.add(new Key(row))) {
          union.add(row);
        }
      }
    }
    ctx.add(Relation.join(rel, new Relation(join.toArray(new Symbol[0]), union), ctx.deadline));
  }
}
