package datahike.query;

import datahike.DatahikeException;
import datahike.edn.Symbol;
import datahike.index.Values;
import java.util.ArrayList;
import java.util.List;

/** Runs predicate and function clauses over the bound relation. */
final class FnOps {
  private FnOps() {}

  /** The function a clause names; null when the clause takes it from a variable. */
  static QueryFn resolve(Term fn, Object form, boolean predicate) {
    if (fn instanceof Term.Const c && c.value() instanceof Symbol s) {
      QueryFn f = QueryFunctions.resolve(s);
      if (f == null) {
        throw DatahikeException.of(
            "query/unknown-function",
            "Unknown "
                + (predicate ? "predicate" : "function")
                + " '"
                + s
                + " in "
                + Forms.print(form),
            "fn",
            s,
            "form",
            form);
      }
      return f;
    }
    return null;
  }

  private static int[] columns(Relation r, List<Term> args) {
    int[] cols = new int[args.size()];
    for (int i = 0; i < cols.length; i++) {
      Symbol v = args.get(i).var();
      cols[i] = v == null ? -1 : r.indexOf(v);
    }
    return cols;
  }

  private static Object[] args(Context ctx, List<Term> terms, int[] cols, Object[] row) {
    Object[] a = new Object[terms.size()];
    for (int i = 0; i < a.length; i++) {
      Term t = terms.get(i);
      if (cols[i] >= 0) {
        a[i] = row[cols[i]];
      } else if (t instanceof Term.Const c) {
        a[i] = c.value();
      } else if (t instanceof Term.Src s) {
        a[i] = ctx.source(s.symbol());
      }
    }
    return a;
  }

  private static Object call(QueryFn f, Term fnTerm, Relation r, Object[] row, Object[] args) {
    QueryFn fn = f != null ? f : BuiltIns.asFn(row[r.indexOf(fnTerm.var())]);
    try {
      return fn.invoke(args);
    } catch (DatahikeException | TypeMismatch e) {
      throw e;
    } catch (ArrayIndexOutOfBoundsException e) {
      throw DatahikeException.of(
          "query/arity", "Wrong number of args (" + args.length + ") passed to " + fnTerm, e);
    } catch (RuntimeException e) {
      throw DatahikeException.of(
          "query/function-error",
          "Error calling " + fnTerm + ": " + e.getMessage(),
          "fn",
          fnTerm.toString(),
          e);
    }
  }

  private static List<Symbol> vars(List<Term> args, Term fn) {
    List<Symbol> out = new ArrayList<>();
    if (fn.var() != null) {
      out.add(fn.var());
    }
    for (Term t : args) {
      if (t.var() != null) {
        out.add(t.var());
      }
    }
    return out;
  }

  private static final Symbol[] COMPARISONS = {
    Symbol.of("<"), Symbol.of(">"), Symbol.of("<="), Symbol.of(">=")
  };

  /**
   * For a built-in {@code <, >, <=, >=} of two arguments, its index in {@link #COMPARISONS}: the
   * predicate then compares two Longs directly (other values take the general call); else -1.
   */
  private static int longComparison(Clause.Pred p, QueryFn f) {
    if (f == null || p.args().size() != 2 || !(p.fn() instanceof Term.Const c)) {
      return -1;
    }
    for (int i = 0; i < COMPARISONS.length; i++) {
      if (COMPARISONS[i].equals(c.value()) && f == BuiltIns.get(COMPARISONS[i])) {
        return i;
      }
    }
    return -1;
  }

  private static boolean holds(int comparison, long x, long y) {
    switch (comparison) {
      case 0:
        return x < y;
      case 1:
        return x > y;
      case 2:
        return x <= y;
      default:
        return x >= y;
    }
  }

  /** Keeps the rows for which the predicate is truthy. */
  static void pred(Context ctx, Clause.Pred p) {
    QueryFn f = resolve(p.fn(), p.form(), true);
    // An argument held by a one-row relation (a scalar input, say) is a constant of this filter:
    // that relation stays as it is instead of being multiplied into the filtered rows.
    List<Term> argTerms = p.args();
    Object[] fixed = new Object[argTerms.size()];
    boolean[] isFixed = new boolean[argTerms.size()];
    List<Symbol> take = new ArrayList<>();
    if (p.fn().var() != null) {
      take.add(p.fn().var());
    }
    for (int i = 0; i < argTerms.size(); i++) {
      Term t = argTerms.get(i);
      Symbol v = t.var();
      if (t instanceof Term.Const c) {
        fixed[i] = c.value();
      } else if (v != null && v != p.fn().var()) {
        Relation rv = ctx.relationOf(v);
        if (rv != null && rv.size() == 1) {
          fixed[i] = rv.rows.get(0)[rv.indexOf(v)];
          isFixed[i] = true;
        } else {
          take.add(v);
        }
      }
    }
    Relation r = ctx.take(take);
    int[] cols = columns(r, argTerms);
    int comparison = longComparison(p, f);
    Object c0 = comparison >= 0 ? fixed[0] : null;
    Object c1 = comparison >= 0 ? fixed[1] : null;
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : r.rows) {
      ctx.deadline.tick();
      if (comparison >= 0) {
        Object x = cols[0] >= 0 ? row[cols[0]] : c0;
        Object y = cols[1] >= 0 ? row[cols[1]] : c1;
        if (x instanceof Long lx && y instanceof Long ly) {
          if (holds(comparison, lx, ly)) {
            out.add(row);
          }
          continue;
        }
      }
      Object res;
      try {
        Object[] a = args(ctx, argTerms, cols, row);
        for (int i = 0; i < a.length; i++) {
          if (isFixed[i]) {
            a[i] = fixed[i];
          }
        }
        res = call(f, p.fn(), r, row, a);
      } catch (TypeMismatch e) {
        continue;
      }
      if (Forms.truthy(res)) {
        out.add(row);
      }
    }
    ctx.add(new Relation(r.vars, out));
  }

  /** Extends each row by the binding of the function's result (unifying bound variables). */
  static void fn(Context ctx, Clause.Fn c) {
    QueryFn f = resolve(c.fn(), c.form(), false);
    List<Symbol> outVars = Bindings.vars(c.binding());
    List<Symbol> take = vars(c.args(), c.fn());
    for (Symbol v : outVars) {
      if (ctx.bound(v)) {
        take.add(v);
      }
    }
    Relation r = ctx.take(take);
    int[] cols = columns(r, c.args());
    // Each output variable is either already a column (unify) or new (append).
    int[] outCol = new int[outVars.size()];
    List<Symbol> fresh = new ArrayList<>();
    for (int i = 0; i < outCol.length; i++) {
      outCol[i] = r.indexOf(outVars.get(i));
      if (outCol[i] < 0) {
        fresh.add(outVars.get(i));
      }
    }
    Symbol[] vars = PatternOps.concat(r.vars, fresh);
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : r.rows) {
      ctx.deadline.tick();
      Object res;
      try {
        res = call(f, c.fn(), r, row, args(ctx, c.args(), cols, row));
      } catch (TypeMismatch e) {
        continue;
      }
      if (res == null) {
        continue;
      }
      Relation b = Bindings.bind(c.binding(), res, ctx.deadline);
      int[] bcols = b.columns(outVars);
      for (Object[] brow : b.rows) {
        Object[] o = new Object[vars.length];
        System.arraycopy(row, 0, o, 0, row.length);
        int k = row.length;
        boolean ok = true;
        for (int i = 0; i < outCol.length && ok; i++) {
          Object val = brow[bcols[i]];
          if (outCol[i] >= 0) {
            ok = Values.equal(row[outCol[i]], val);
          } else {
            o[k++] = val;
          }
        }
        if (ok) {
          out.add(o);
        }
      }
    }
    ctx.add(new Relation(vars, out));
  }
}
