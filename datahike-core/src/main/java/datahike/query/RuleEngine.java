package datahike.query;

import datahike.DatahikeException;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates rule calls bottom-up with demand: semi-naive evaluation over tables.
 *
 * <p>A table holds, for one rule, one source and one binding pattern of the call (which arguments
 * are bound), the demanded argument values ("seeds") and the answers found so far. A call adds its
 * seeds to its table; at the outermost call the fixpoint runs: in each round, new seeds are
 * evaluated against all answers, and old seeds are re-evaluated once per rule call in the body
 * with that call reading only the previous round's new answers (semi-naive), until no seed and no
 * answer is new. Calls inside a body simply read the tables' current answers and register their
 * seeds, so recursion never recurses on the Java stack. Tables live for one query, so a rule
 * called twice is evaluated once per seed.
 *
 * <p>A rule body containing calls nested in {@code or} is re-evaluated naively while anything
 * changes; a rule called inside {@code not} is evaluated to completion first, in its own engine
 * (stratified negation).
 */
final class RuleEngine {
  private final Map<String, Table> tables = new LinkedHashMap<>();
  private final Map<RuleSet.Branch, Boolean> nested = new IdentityHashMap<>();
  private int depth;

  int depth() {
    return depth;
  }

  private static final class Table {
    final Symbol src;
    final Symbol name;
    final boolean[] mask;
    final int[] maskPos;
    final List<RuleSet.Branch> branches;
    final Object form;
    final Set<Key> seedSet = new HashSet<>();
    List<Object[]> pending = new ArrayList<>();
    List<Object[]> delta = new ArrayList<>();
    final List<Object[]> old = new ArrayList<>();
    final Set<Key> answerSet = new HashSet<>();
    final List<Object[]> all = new ArrayList<>();
    List<Object[]> answersDelta = new ArrayList<>();
    List<Object[]> fresh = new ArrayList<>();
    final Map<Key, List<Object[]>> index = new HashMap<>();

    Table(Symbol src, Symbol name, boolean[] mask, List<RuleSet.Branch> branches, Object form) {
      this.src = src;
      this.name = name;
      this.mask = mask;
      this.branches = branches;
      this.form = form;
      int n = 0;
      for (boolean b : mask) {
        if (b) {
          n++;
        }
      }
      maskPos = new int[n];
      n = 0;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          maskPos[n++] = i;
        }
      }
    }

    void seed(Object[] s) {
      if (seedSet.add(new Key(s))) {
        pending.add(s);
      }
    }

    Key answerKey(Object[] answer) {
      return Key.of(answer, maskPos);
    }
  }

  /** Runs a rule call in {@code ctx}: joins the bound relation with the rule's answers. */
  void call(Context ctx, Clause.RuleCall c) {
    List<RuleSet.Branch> branches = ctx.rules.branches(c.name());
    if (branches == null) {
      throw DatahikeException.of(
          "query/where",
          "Unknown rule '" + c.name() + " in " + Forms.print(c.form()),
          "form",
          c.form());
    }
    int arity = branches.get(0).head().size();
    List<Term> args = c.args();
    if (args.size() != arity) {
      throw DatahikeException.of(
          "query/where",
          "Rule " + c.name() + " takes " + arity + " arguments, called with " + args.size() + " in "
              + Forms.print(c.form()),
          "form",
          c.form());
    }
    if (ctx.negated && depth > 0) {
      new RuleEngine().call(ctx, c);
      return;
    }
    boolean[] mask = new boolean[arity];
    List<Symbol> boundVars = new ArrayList<>();
    for (int i = 0; i < arity; i++) {
      Term t = args.get(i);
      if (t instanceof Term.Const) {
        mask[i] = true;
      } else if (t.var() != null && ctx.bound(t.var())) {
        mask[i] = true;
        boundVars.add(t.var());
      }
    }
    Relation rel = ctx.take(boundVars);
    Symbol src = c.src() != null ? c.src() : ctx.defaultSrc;
    Table table = table(src, c.name(), mask, branches, c.form());
    int[] cols = new int[arity];
    for (int i = 0; i < arity; i++) {
      Symbol v = args.get(i).var();
      cols[i] = v != null && mask[i] ? rel.indexOf(v) : -1;
    }
    Set<Key> seen = new HashSet<>();
    for (Object[] row : rel.rows) {
      Object[] s = seedOf(args, table, cols, row);
      if (seen.add(new Key(s))) {
        table.seed(s);
      }
    }
    if (depth == 0) {
      fixpoint(ctx);
    }
    boolean useDelta = ctx.deltaClause == c;
    Map<Key, List<Object[]>> index = useDelta ? indexOf(table, table.answersDelta) : table.index;
    // The call's fresh variables, with repeated ones checked for equality.
    List<Symbol> fresh = new ArrayList<>();
    int[] freshSlot = new int[arity];
    for (int i = 0; i < arity; i++) {
      Symbol v = args.get(i).var();
      freshSlot[i] = -1;
      if (v != null && !mask[i]) {
        int at = fresh.indexOf(v);
        if (at < 0) {
          at = fresh.size();
          fresh.add(v);
        }
        freshSlot[i] = at;
      }
    }
    List<Object[]> out = new ArrayList<>();
    for (Object[] row : rel.rows) {
      ctx.deadline.tick();
      List<Object[]> hits = index.get(new Key(seedOf(args, table, cols, row)));
      if (hits == null) {
        continue;
      }
      for (Object[] ans : hits) {
        Object[] o = new Object[row.length + fresh.size()];
        System.arraycopy(row, 0, o, 0, row.length);
        boolean ok = true;
        boolean[] set = new boolean[fresh.size()];
        for (int i = 0; i < arity && ok; i++) {
          int f = freshSlot[i];
          if (f >= 0) {
            if (set[f]) {
              ok = datahike.index.Values.equal(o[row.length + f], ans[i]);
            } else {
              o[row.length + f] = ans[i];
              set[f] = true;
            }
          }
        }
        if (ok) {
          out.add(o);
        }
      }
    }
    ctx.add(new Relation(PatternOps.concat(rel.vars, fresh), out));
  }

  private static Object[] seedOf(List<Term> args, Table t, int[] cols, Object[] row) {
    Object[] s = new Object[t.maskPos.length];
    for (int j = 0; j < s.length; j++) {
      int i = t.maskPos[j];
      s[j] = cols[i] >= 0 ? row[cols[i]] : ((Term.Const) args.get(i)).value();
    }
    return s;
  }

  private static Map<Key, List<Object[]>> indexOf(Table t, List<Object[]> answers) {
    Map<Key, List<Object[]>> m = new HashMap<>();
    for (Object[] a : answers) {
      m.computeIfAbsent(t.answerKey(a), k -> new ArrayList<>(2)).add(a);
    }
    return m;
  }

  private Table table(
      Symbol src, Symbol name, boolean[] mask, List<RuleSet.Branch> branches, Object form) {
    StringBuilder k = new StringBuilder(src.toString()).append(' ').append(name).append(' ');
    for (boolean b : mask) {
      k.append(b ? 'b' : 'f');
    }
    return tables.computeIfAbsent(k.toString(), x -> new Table(src, name, mask, branches, form));
  }

  private boolean hasNestedCalls(RuleSet.Branch b) {
    return nested.computeIfAbsent(
        b,
        x -> {
          for (Clause c : x.body()) {
            if ((c instanceof Clause.Or || c instanceof Clause.Not) && containsCall(c)) {
              return true;
            }
          }
          return false;
        });
  }

  private static boolean containsCall(Clause c) {
    if (c instanceof Clause.RuleCall) {
      return true;
    }
    if (c instanceof Clause.Not n) {
      for (Clause b : n.body()) {
        if (containsCall(b)) {
          return true;
        }
      }
    } else if (c instanceof Clause.Or o) {
      for (List<Clause> br : o.branches()) {
        for (Clause b : br) {
          if (containsCall(b)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean deltaFor(Symbol name) {
    for (Table t : tables.values()) {
      if (t.name == name && !t.answersDelta.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private void fixpoint(Context ctx) {
    depth++;
    try {
      while (true) {
        ctx.deadline.check();
        boolean work = false;
        boolean anyDelta = false;
        for (Table t : tables.values()) {
          t.delta = t.pending;
          t.pending = new ArrayList<>();
          work |= !t.delta.isEmpty() || !t.answersDelta.isEmpty();
          anyDelta |= !t.answersDelta.isEmpty();
        }
        if (!work) {
          break;
        }
        for (Table t : new ArrayList<>(tables.values())) {
          for (RuleSet.Branch b : t.branches) {
            if (!t.delta.isEmpty()) {
              evalBranch(ctx, t, b, t.delta, null);
            }
            if (t.old.isEmpty() || !anyDelta) {
              continue;
            }
            if (hasNestedCalls(b)) {
              evalBranch(ctx, t, b, t.old, null);
              continue;
            }
            for (Clause c : b.body()) {
              if (c instanceof Clause.RuleCall rc && deltaFor(rc.name())) {
                evalBranch(ctx, t, b, t.old, c);
              }
            }
          }
        }
        for (Table t : tables.values()) {
          t.old.addAll(t.delta);
          t.delta = new ArrayList<>();
          t.answersDelta = t.fresh;
          t.fresh = new ArrayList<>();
          for (Object[] a : t.answersDelta) {
            t.all.add(a);
            t.index.computeIfAbsent(t.answerKey(a), k -> new ArrayList<>(2)).add(a);
          }
        }
      }
    } finally {
      depth--;
    }
  }

  private void evalBranch(
      Context ctx, Table t, RuleSet.Branch b, List<Object[]> seeds, Clause deltaClause) {
    List<Symbol> head = b.head();
    // The seed relation over the bound head variables (a head variable may repeat).
    List<Symbol> seedVars = new ArrayList<>();
    int[] slot = new int[t.maskPos.length];
    for (int j = 0; j < t.maskPos.length; j++) {
      Symbol v = head.get(t.maskPos[j]);
      int at = seedVars.indexOf(v);
      if (at < 0) {
        at = seedVars.size();
        seedVars.add(v);
      }
      slot[j] = at;
    }
    List<Object[]> rows = new ArrayList<>();
    for (Object[] s : seeds) {
      Object[] row = new Object[seedVars.size()];
      boolean[] set = new boolean[row.length];
      boolean ok = true;
      for (int j = 0; j < s.length && ok; j++) {
        if (set[slot[j]]) {
          ok = datahike.index.Values.equal(row[slot[j]], s[j]);
        } else {
          row[slot[j]] = s[j];
          set[slot[j]] = true;
        }
      }
      if (ok) {
        rows.add(row);
      }
    }
    Context sub =
        new Context(ctx.sources, ctx.rules, t.src, this, ctx.deadline, ctx.stats, deltaClause);
    if (!seedVars.isEmpty()) {
      sub.add(new Relation(seedVars.toArray(new Symbol[0]), rows));
    } else if (rows.isEmpty()) {
      return;
    }
    Executor.run(sub, b.body());
    if (sub.empty) {
      return;
    }
    List<Symbol> distinct = new ArrayList<>();
    for (Symbol v : head) {
      if (!distinct.contains(v)) {
        distinct.add(v);
      }
    }
    Relation res = Executor.collect(sub, distinct, t.form);
    int[] cols = new int[head.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = res.indexOf(head.get(i));
    }
    for (Object[] row : res.rows) {
      Object[] ans = new Object[cols.length];
      for (int i = 0; i < cols.length; i++) {
        ans[i] = row[cols[i]];
      }
      if (t.answerSet.add(new Key(ans))) {
        t.fresh.add(ans);
      }
    }
  }
}
