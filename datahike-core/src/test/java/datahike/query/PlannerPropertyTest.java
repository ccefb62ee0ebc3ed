package datahike.query;

import static org.assertj.core.api.Assertions.assertThat;

import datahike.Datom;
import datahike.edn.EdnList;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.index.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Model-based test: random small databases and random queries (patterns, comparison predicates,
 * not, or-join, a recursive rule) evaluated by the engine and by a naive nested-loop evaluator
 * kept here (textual order, bindings as maps, rules by naive fixpoint) must give identical result
 * sets. The seed of a failing case is in the assertion message.
 */
class PlannerPropertyTest {
  static final Keyword[] ATTRS = {Keyword.of("a"), Keyword.of("b"), Keyword.of("c")};
  static final Symbol[] VARS = {Symbol.of("?x"), Symbol.of("?y"), Symbol.of("?z"), Symbol.of("?w")};
  static final Symbol LT = Symbol.of("<");
  static final Symbol EQ = Symbol.of("=");
  static final Symbol NOT_EQ = Symbol.of("not=");
  static final Symbol REACH = Symbol.of("reach");
  static final Object RULES =
      Q.edn(
          "[[(reach ?p ?q) [?p :a ?q]]"
              + " [(reach ?p ?q) [?p :a ?t] (reach ?t ?q)]]");

  @Test
  void engineAgreesWithNaiveEvaluation() {
    int nonEmpty = 0;
    Map<String, Integer> kinds = new HashMap<>();
    for (long seed = 1; seed <= 1000; seed++) {
      Random rnd = new Random(seed);
      List<Datom> datoms = randomDb(rnd);
      MemDb db = MemDb.of(datoms);
      List<Object> where = new ArrayList<>();
      Set<Symbol> bound = new LinkedHashSet<>();
      int n = 1 + rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        where.add(randomClause(rnd, bound, 0));
      }
      if (bound.isEmpty()) {
        where.add(Q.list(VARS[0], ATTRS[rnd.nextInt(ATTRS.length)], VARS[1]));
        bound.add(VARS[0]);
        bound.add(VARS[1]);
      }
      List<Symbol> find = new ArrayList<>();
      for (Symbol v : bound) {
        if (rnd.nextBoolean() || find.isEmpty()) {
          find.add(v);
        }
      }
      List<Object> query = new ArrayList<>();
      query.add(Keyword.of("find"));
      query.addAll(find);
      query.add(Keyword.of("in"));
      query.add(Symbol.of("$"));
      query.add(Symbol.of("%"));
      query.add(Keyword.of("where"));
      query.addAll(where);
      String msg = "seed " + seed + ": " + Forms.print(query) + " over " + datoms;
      Set<List<Object>> expected = new Naive(datoms).run(find, where);
      Object actual;
      try {
        actual = Query.q(query, Q.list(db, RULES), QueryOptions.DEFAULTS);
      } catch (RuntimeException e) {
        throw new AssertionError(msg, e);
      }
      assertThat(new HashSet<>(Q.coll(actual))).as(msg).isEqualTo(expected);
      if (!expected.isEmpty()) {
        nonEmpty++;
        for (Object c : where) {
          Object head = ((List<?>) c).get(0);
          kinds.merge(head instanceof Symbol s ? s.name() : head instanceof List ? "fn" : "pattern",
              1, Integer::sum);
        }
      }
    }
    // The generator must exercise every kind of clause on non-empty results.
    assertThat(nonEmpty).isGreaterThan(300);
    assertThat(kinds.keySet()).contains("reach", "not", "or-join", "fn", "pattern");
    assertThat(kinds.values()).allMatch(n -> n > 30);
  }

  static List<Datom> randomDb(Random rnd) {
    List<Datom> ds = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int n = 5 + rnd.nextInt(25);
    for (int i = 0; i < n; i++) {
      long e = 1 + rnd.nextInt(6);
      Keyword a = ATTRS[rnd.nextInt(ATTRS.length)];
      long v = 1 + rnd.nextInt(6);
      if (seen.add(e + " " + a + " " + v)) {
        ds.add(new Datom(e, Datom.attrCode(a), v, 536870913L, true));
      }
    }
    return ds;
  }

  static Object term(Random rnd, Set<Symbol> bound, boolean allowConst) {
    if (allowConst && rnd.nextInt(5) == 0) {
      return (long) (1 + rnd.nextInt(6));
    }
    return VARS[rnd.nextInt(VARS.length)];
  }

  static Object pattern(Random rnd, Set<Symbol> bound) {
    List<Object> p = new ArrayList<>();
    p.add(term(rnd, bound, true));
    p.add(ATTRS[rnd.nextInt(ATTRS.length)]);
    p.add(rnd.nextInt(6) == 0 ? Symbol.of("_") : term(rnd, bound, true));
    for (Object o : p) {
      if (Forms.isVar(o)) {
        bound.add((Symbol) o);
      }
    }
    return p;
  }

  static Symbol boundVar(Random rnd, Set<Symbol> bound) {
    List<Symbol> b = new ArrayList<>(bound);
    return b.get(rnd.nextInt(b.size()));
  }

  static Object randomClause(Random rnd, Set<Symbol> bound, int depth) {
    int kind = rnd.nextInt(10);
    if (bound.isEmpty() || kind < 4) {
      return pattern(rnd, bound);
    }
    if (kind < 6) {
      Symbol f = rnd.nextBoolean() ? LT : rnd.nextBoolean() ? EQ : NOT_EQ;
      Object other =
          rnd.nextBoolean() ? boundVar(rnd, bound) : (Object) (long) (1 + rnd.nextInt(6));
      List<Object> call = EdnList.of(f, boundVar(rnd, bound), other);
      return Q.list(call);
    }
    if (kind < 8 && depth == 0) {
      // (not pattern) sharing a bound variable
      Symbol v = boundVar(rnd, bound);
      Set<Symbol> inner = new LinkedHashSet<>(bound);
      List<Object> p =
          Q.list(v, ATTRS[rnd.nextInt(ATTRS.length)], term(rnd, inner, true));
      return EdnList.of(Symbol.of("not"), p);
    }
    if (kind < 9 && depth == 0) {
      // (or-join [v] branch1 branch2), each branch a pattern on v
      Symbol v = boundVar(rnd, bound);
      List<Object> b1 = Q.list(v, ATTRS[rnd.nextInt(ATTRS.length)], Symbol.of("_"));
      List<Object> b2 =
          Q.list(Symbol.of("?o"), ATTRS[rnd.nextInt(ATTRS.length)], v);
      return EdnList.of(Symbol.of("or-join"), Q.list(v), b1, b2);
    }
    Object a =
        rnd.nextBoolean() && !bound.isEmpty() ? boundVar(rnd, bound) : term(rnd, bound, true);
    Object b = term(rnd, bound, true);
    for (Object o : new Object[] {a, b}) {
      if (Forms.isVar(o)) {
        bound.add((Symbol) o);
      }
    }
    return EdnList.of(REACH, a, b);
  }

  /** The reference: textual order, one map per solution, no planning. */
  static final class Naive {
    final List<Datom> datoms;
    Set<List<Object>> reach;

    Naive(List<Datom> datoms) {
      this.datoms = datoms;
    }

    Set<List<Object>> run(List<Symbol> find, List<Object> where) {
      List<Map<Symbol, Object>> sols = eval(where, List.of(new HashMap<>()));
      Set<List<Object>> out = new HashSet<>();
      for (Map<Symbol, Object> s : sols) {
        List<Object> row = new ArrayList<>();
        for (Symbol v : find) {
          row.add(s.get(v));
        }
        out.add(row);
      }
      return out;
    }

    List<Map<Symbol, Object>> eval(List<Object> clauses, List<Map<Symbol, Object>> in) {
      List<Map<Symbol, Object>> cur = in;
      for (Object c : clauses) {
        List<Map<Symbol, Object>> next = new ArrayList<>();
        for (Map<Symbol, Object> b : cur) {
          next.addAll(clause(c, b));
        }
        cur = next;
      }
      return cur;
    }

    static boolean unify(Map<Symbol, Object> b, Object term, Object value) {
      if (term == Forms.BLANK) {
        return true;
      }
      if (Forms.isVar(term)) {
        Symbol v = (Symbol) term;
        if (b.containsKey(v)) {
          return Values.equal(b.get(v), value);
        }
        b.put(v, value);
        return true;
      }
      return Values.equal(term, value);
    }

    List<Map<Symbol, Object>> clause(Object c, Map<Symbol, Object> b) {
      List<?> l = (List<?>) c;
      List<Map<Symbol, Object>> out = new ArrayList<>();
      if (l.get(0) instanceof List<?> call) {
        Object x = val(b, call.get(1));
        Object y = val(b, call.get(2));
        boolean ok;
        if (call.get(0) == LT) {
          ok = (Long) x < (Long) y;
        } else if (call.get(0) == EQ) {
          ok = x.equals(y);
        } else {
          ok = !x.equals(y);
        }
        if (ok) {
          out.add(b);
        }
        return out;
      }
      if (l.get(0) == Symbol.of("not")) {
        if (eval(List.of(l.get(1)), List.of(new HashMap<>(b))).isEmpty()) {
          out.add(b);
        }
        return out;
      }
      if (l.get(0) == Symbol.of("or-join")) {
        Symbol v = (Symbol) ((List<?>) l.get(1)).get(0);
        Map<Symbol, Object> seed = new HashMap<>();
        seed.put(v, b.get(v));
        Set<Object> vals = new HashSet<>();
        for (int i = 2; i < l.size(); i++) {
          for (Map<Symbol, Object> s : eval(List.of(l.get(i)), List.of(seed))) {
            vals.add(s.get(v));
          }
        }
        if (!vals.isEmpty()) {
          out.add(b);
        }
        return out;
      }
      if (l.get(0) == REACH) {
        for (List<Object> t : reach()) {
          Map<Symbol, Object> nb = new HashMap<>(b);
          if (unify(nb, l.get(1), t.get(0)) && unify(nb, l.get(2), t.get(1))) {
            out.add(nb);
          }
        }
        return out;
      }
      for (Datom d : datoms) {
        Map<Symbol, Object> nb = new HashMap<>(b);
        if (unify(nb, l.get(0), d.e) && unify(nb, l.get(1), d.attr()) && unify(nb, l.get(2), d.v)) {
          out.add(nb);
        }
      }
      return out;
    }

    static Object val(Map<Symbol, Object> b, Object t) {
      return Forms.isVar(t) ? b.get(t) : t;
    }

    Set<List<Object>> reach() {
      if (reach != null) {
        return reach;
      }
      Set<List<Object>> r = new LinkedHashSet<>();
      int a = Datom.attrCode(Keyword.of("a"));
      boolean changed = true;
      while (changed) {
        changed = false;
        List<List<Object>> add = new ArrayList<>();
        for (Datom d : datoms) {
          if (d.a != a) {
            continue;
          }
          add.add(List.of(d.e, d.v));
          for (List<Object> t : r) {
            if (Values.equal(t.get(0), d.v)) {
              add.add(List.of(d.e, t.get(1)));
            }
          }
        }
        for (List<Object> t : add) {
          changed |= r.add(t);
        }
      }
      reach = r;
      return r;
    }
  }
}
