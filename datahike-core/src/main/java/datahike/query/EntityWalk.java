package datahike.query;

import datahike.Datom;
import datahike.db.Db;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A star join on an entity: several patterns {@code [?e :attr x]} whose only bound variable is the
 * same entity {@code ?e} run as one pass over the bound rows. Each row's entity is sought once
 * and its datoms walked in attribute order, each datom going to the patterns of its attribute;
 * the row is then extended by the product of every pattern's matches (none drops the row), as the
 * patterns' index lookups one after the other would, without a relation per pattern and with one
 * index search per row instead of one per pattern.
 *
 * <p>An entity with more datoms than the walk budget is probed per pattern instead, so wide
 * entities never cost more than the separate lookups plus the budget.
 */
final class EntityWalk {
  private EntityWalk() {}

  /**
   * The entity variable of {@code r} when it can join an entity walk in {@code ctx}: a constant
   * attribute, the entity a bound variable, the value a constant, a blank or a fresh variable,
   * the transaction and added flag constants or blanks; else null.
   */
  static Symbol entityVar(Context ctx, PatternOps.Resolved r) {
    if (r.impossible || r.a == Db.ANY_A || !(r.terms[0] instanceof Term.Var ev)) {
      return null;
    }
    if (!ctx.bound(ev.symbol())) {
      return null;
    }
    if (r.terms[2] instanceof Term.Var vv && ctx.bound(vv.symbol())) {
      return null;
    }
    for (int i = 3; i < 5; i++) {
      if (r.terms[i] instanceof Term.Var) {
        return null;
      }
    }
    return ev.symbol();
  }

  /**
   * True when a pattern that probes per row beats a scan and hash join with {@code rows} bound
   * rows: the same rule {@link PatternOps#matchDb} applies to a lookup.
   */
  static boolean lookupPays(PatternOps.Resolved r, int rows) {
    return rows * 4.0 <= r.db.estimateCount(r.e, r.a, r.v) + 64;
  }

  /** The fresh variable of a walk member, or null. */
  static Symbol fresh(PatternOps.Resolved r) {
    return r.terms[2] instanceof Term.Var v ? v.symbol() : null;
  }

  /** Runs the members (all on entity variable {@code ev}), adding the extended relation. */
  static String run(Context ctx, Symbol ev, List<PatternOps.Resolved> members) {
    int k = members.size();
    Db db = members.get(0).db;
    Relation rel = ctx.take(List.of(ev));
    int col = rel.indexOf(ev);
    int[] attrs = new int[k];
    int[] slot = new int[k]; // column in the new row, -1 when the member binds nothing
    List<Symbol> newVars = new ArrayList<>();
    int base = rel.vars.length;
    for (int m = 0; m < k; m++) {
      attrs[m] = members.get(m).a;
      Symbol f = fresh(members.get(m));
      slot[m] = f == null ? -1 : base + newVars.size();
      if (f != null) {
        newVars.add(f);
      }
    }
    Symbol[] vars = PatternOps.concat(rel.vars, newVars);
    int width = vars.length;
    Datom[][] hits = new Datom[k][2];
    int[] cnt = new int[k];
    int[] at = new int[k];
    int budget = 16 + 4 * k;
    Db.EntityProbe walk = db.probe(Db.ANY_A);
    Db.EntityProbe[] single = new Db.EntityProbe[k];
    List<Object[]> out = new ArrayList<>(rel.size());
    for (Object[] row : rel.rows) {
      Object ev0 = row[col];
      long e = ev0 instanceof Long x ? x : PatternOps.entity(db, ev0);
      if (e < 0) {
        continue;
      }
      Arrays.fill(cnt, 0);
      walk.seek(e);
      int steps = 0;
      boolean wide = false;
      for (Datom d = walk.next(); d != null; d = walk.next()) {
        ctx.deadline.tick();
        if (++steps > budget) {
          wide = true;
          break;
        }
        for (int m = 0; m < k; m++) {
          if (attrs[m] == d.a && accepts(members.get(m), d)) {
            add(hits, cnt, m, d);
          }
        }
      }
      if (wide) {
        Arrays.fill(cnt, 0);
        for (int m = 0; m < k; m++) {
          if (single[m] == null) {
            single[m] = db.probe(attrs[m]);
          }
          single[m].seek(e);
          for (Datom d = single[m].next(); d != null; d = single[m].next()) {
            ctx.deadline.tick();
            if (accepts(members.get(m), d)) {
              add(hits, cnt, m, d);
            }
          }
        }
      }
      emit(row, width, slot, hits, cnt, at, out, ctx.deadline);
    }
    ctx.add(new Relation(vars, out));
    return "entity-walk";
  }

  /** The checks of a member's constants (its attribute already matched). */
  private static boolean accepts(PatternOps.Resolved r, Datom d) {
    if (r.added != null && d.added() != r.added) {
      return false;
    }
    if (r.tx != Db.ANY && d.tx() != r.tx) {
      return false;
    }
    return !(r.terms[2] instanceof Term.Const) || datahike.index.Values.equal(d.v(), r.v);
  }

  private static void add(Datom[][] hits, int[] cnt, int m, Datom d) {
    if (cnt[m] == hits[m].length) {
      hits[m] = Arrays.copyOf(hits[m], cnt[m] * 2);
    }
    hits[m][cnt[m]++] = d;
  }

  /** Adds {@code row} extended by each combination of the members' matches. */
  private static void emit(
      Object[] row,
      int width,
      int[] slot,
      Datom[][] hits,
      int[] cnt,
      int[] at,
      List<Object[]> out,
      Deadline deadline) {
    int k = cnt.length;
    for (int m = 0; m < k; m++) {
      if (cnt[m] == 0) {
        return;
      }
    }
    Arrays.fill(at, 0);
    while (true) {
      Object[] res = Arrays.copyOf(row, width);
      for (int m = 0; m < k; m++) {
        if (slot[m] >= 0) {
          res[slot[m]] = hits[m][at[m]].v();
        }
      }
      out.add(res);
      // Next combination, the last member fastest.
      int m = k - 1;
      while (m >= 0 && ++at[m] == cnt[m]) {
        at[m] = 0;
        m--;
      }
      if (m < 0) {
        return;
      }
      deadline.tick();
    }
  }
}
