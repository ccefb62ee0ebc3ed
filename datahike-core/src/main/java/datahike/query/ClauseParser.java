package datahike.query;

import datahike.DatahikeException;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses where clauses (grammar in {@link Clause}). */
final class ClauseParser {
  private ClauseParser() {}

  private static final String EXPECTED =
      "Cannot parse clause, expected (data-pattern | pred-expr | fn-expr | rule-expr | not-clause"
          + " | not-join-clause | or-clause | or-join-clause): ";

  static DatahikeException error(String message, Object form) {
    return DatahikeException.of("query/parse", message, "form", form);
  }

  /** Parses one where clause. */
  static Clause parse(Object form) {
    if (!(form instanceof List<?> l) || l.isEmpty()) {
      throw error(EXPECTED + Forms.print(form), form);
    }
    Object first = l.get(0);
    // [(f ...) binding?] calls a function; [[attr value] ...] is a pattern on a lookup ref.
    if (first instanceof List<?> call && !call.isEmpty() && call.get(0) instanceof Symbol) {
      return parseCall(call, l, form);
    }
    int i = 0;
    Symbol src = null;
    if (Forms.isSource(first) && l.size() > 1) {
      src = (Symbol) first;
      i = 1;
    }
    Object head = l.get(i);
    if (head instanceof Symbol s && !s.isVariable() && !s.isSource() && s != Forms.BLANK) {
      List<?> rest = l.subList(i + 1, l.size());
      if (s == Forms.NOT) {
        return parseNot(src, null, rest, form);
      }
      if (s == Forms.NOT_JOIN) {
        if (rest.isEmpty() || !(rest.get(0) instanceof List<?> vars)) {
          throw error("Cannot parse not-join clause: " + Forms.print(form), form);
        }
        return parseNot(src, varList(vars, form), rest.subList(1, rest.size()), form);
      }
      if (s == Forms.OR) {
        return parseOr(src, null, rest, form);
      }
      if (s == Forms.OR_JOIN) {
        if (rest.isEmpty() || !(rest.get(0) instanceof List<?> vars)) {
          throw error("Cannot parse or-join clause: " + Forms.print(form), form);
        }
        return parseOr(src, vars, rest.subList(1, rest.size()), form);
      }
      if (s == Forms.AND) {
        throw error(EXPECTED + Forms.print(form), form);
      }
      return parseRuleCall(src, s, rest, form);
    }
    List<Term> terms = new ArrayList<>();
    for (int j = i; j < l.size(); j++) {
      terms.add(Term.of(l.get(j)));
    }
    if (terms.size() > 5) {
      throw error(EXPECTED + Forms.print(form), form);
    }
    for (Term t : terms) {
      if (t instanceof Term.Src) {
        throw error(EXPECTED + Forms.print(form), form);
      }
    }
    return new Clause.Pattern(src, List.copyOf(terms), form);
  }

  private static Clause parseCall(List<?> call, List<?> l, Object form) {
    if (call.isEmpty() || l.size() > 2) {
      throw error(EXPECTED + Forms.print(form), form);
    }
    Object f = call.get(0);
    Term fn;
    if (f instanceof Symbol s && s.isVariable()) {
      fn = new Term.Var(s);
    } else if (f instanceof Symbol s) {
      fn = new Term.Const(s);
    } else {
      throw error(EXPECTED + Forms.print(form), form);
    }
    List<Term> args = new ArrayList<>();
    for (int i = 1; i < call.size(); i++) {
      args.add(Term.of(call.get(i)));
    }
    if (l.size() == 1) {
      return new Clause.Pred(fn, List.copyOf(args), form);
    }
    Binding b = QueryParser.parseBinding(l.get(1), form);
    return new Clause.Fn(fn, List.copyOf(args), b, form);
  }

  private static Clause parseRuleCall(Symbol src, Symbol name, List<?> rest, Object form) {
    List<Term> args = new ArrayList<>();
    for (Object o : rest) {
      Term t = Term.of(o);
      if (t instanceof Term.Const c) {
        Object v = c.value();
        if ((v instanceof List<?> lv && lv.size() != 2) || v instanceof Map || v instanceof Set) {
          throw DatahikeException.of(
              "query/where",
              "Bad format for value in pattern, must be a scalar, nil or a vector of two elements."
                  + " Got: "
                  + Forms.print(v),
              "form",
              form);
        }
      }
      args.add(t);
    }
    return new Clause.RuleCall(src, name, List.copyOf(args), form);
  }

  private static Clause parseNot(Symbol src, List<Symbol> vars, List<?> rest, Object form) {
    if (rest.isEmpty()) {
      throw error("Cannot parse not clause: " + Forms.print(form), form);
    }
    List<Clause> body = new ArrayList<>();
    for (Object o : rest) {
      body.add(parse(o));
    }
    Set<Symbol> inner = new LinkedHashSet<>();
    for (Clause c : body) {
      collectVars(c, inner);
    }
    if (vars != null) {
      List<Symbol> undeclared = new ArrayList<>();
      for (Symbol v : vars) {
        if (!inner.contains(v)) {
          undeclared.add(v);
        }
      }
      if (!undeclared.isEmpty()) {
        throw error(
            "Join variables not declared inside clauses: " + Forms.print(undeclared), form);
      }
      if (vars.isEmpty()) {
        throw error("Join variables should not be empty", form);
      }
    } else if (inner.isEmpty()) {
      throw error("Insufficient bindings: none of #{} is bound in " + Forms.print(form), form);
    }
    return new Clause.Not(src, vars, List.copyOf(body), form);
  }

  private static Clause parseOr(Symbol src, List<?> varsForm, List<?> rest, Object form) {
    if (rest.isEmpty()) {
      throw error("Cannot parse or clause: " + Forms.print(form), form);
    }
    List<List<Clause>> branches = new ArrayList<>();
    for (Object o : rest) {
      if (o instanceof List<?> l && !l.isEmpty() && l.get(0) == Forms.AND) {
        List<Clause> conj = new ArrayList<>();
        for (int i = 1; i < l.size(); i++) {
          conj.add(parse(l.get(i)));
        }
        if (conj.isEmpty()) {
          throw error("Cannot parse and clause: " + Forms.print(o), form);
        }
        branches.add(List.copyOf(conj));
      } else {
        branches.add(List.of(parse(o)));
      }
    }
    List<Symbol> required = new ArrayList<>();
    List<Symbol> free = new ArrayList<>();
    if (varsForm != null) {
      int i = 0;
      if (!varsForm.isEmpty() && varsForm.get(0) instanceof List<?> req) {
        required.addAll(varList(req, form));
        i = 1;
      }
      free.addAll(varList(varsForm.subList(i, varsForm.size()), form));
    } else {
      Set<Symbol> all = new LinkedHashSet<>();
      for (List<Clause> b : branches) {
        for (Clause c : b) {
          collectVars(c, all);
        }
      }
      free.addAll(all);
    }
    List<Symbol> join = new ArrayList<>(required);
    join.addAll(free);
    for (List<Clause> b : branches) {
      Set<Symbol> vs = new LinkedHashSet<>();
      for (Clause c : b) {
        collectVars(c, vs);
      }
      List<Symbol> missing = new ArrayList<>();
      for (Symbol v : join) {
        if (!vs.contains(v)) {
          missing.add(v);
        }
      }
      if (!missing.isEmpty()) {
        throw error("Join variable not declared inside clauses: " + Forms.print(missing), form);
      }
    }
    if (join.isEmpty()) {
      throw error("Insufficient bindings: none of #{} is bound in " + Forms.print(form), form);
    }
    return new Clause.Or(
        src, List.copyOf(required), List.copyOf(free), List.copyOf(branches), form);
  }

  private static List<Symbol> varList(List<?> l, Object form) {
    List<Symbol> out = new ArrayList<>();
    for (Object o : l) {
      if (!Forms.isVar(o)) {
        throw error("Cannot parse variable list: " + Forms.print(l), form);
      }
      out.add((Symbol) o);
    }
    return out;
  }

  // ---- analysis

  /** Adds every variable the clause mentions (at any depth) to {@code out}. */
  static void collectVars(Clause c, Set<Symbol> out) {
    if (c instanceof Clause.Pattern p) {
      terms(p.terms(), out);
    } else if (c instanceof Clause.Pred p) {
      if (p.fn().var() != null) {
        out.add(p.fn().var());
      }
      terms(p.args(), out);
    } else if (c instanceof Clause.Fn f) {
      if (f.fn().var() != null) {
        out.add(f.fn().var());
      }
      terms(f.args(), out);
      List<Symbol> bs = new ArrayList<>();
      Binding.collectVars(f.binding(), bs);
      out.addAll(bs);
    } else if (c instanceof Clause.RuleCall r) {
      terms(r.args(), out);
    } else if (c instanceof Clause.Not n) {
      if (n.joinVars() != null) {
        out.addAll(n.joinVars());
      } else {
        for (Clause b : n.body()) {
          collectVars(b, out);
        }
      }
    } else if (c instanceof Clause.Or o) {
      out.addAll(o.required());
      out.addAll(o.free());
    }
  }

  private static void terms(List<Term> ts, Set<Symbol> out) {
    for (Term t : ts) {
      if (t instanceof Term.Var v) {
        out.add(v.symbol());
      }
    }
  }

  /** The variables a clause binds when it runs (not and predicates bind none). */
  static void collectBound(Clause c, Set<Symbol> out) {
    if (c instanceof Clause.Pattern p) {
      terms(p.terms(), out);
    } else if (c instanceof Clause.Fn f) {
      List<Symbol> bs = new ArrayList<>();
      Binding.collectVars(f.binding(), bs);
      out.addAll(bs);
    } else if (c instanceof Clause.RuleCall r) {
      terms(r.args(), out);
    } else if (c instanceof Clause.Or o) {
      out.addAll(o.required());
      out.addAll(o.free());
    }
  }

  /** Adds the explicit sources the clause names (at any depth). */
  static void collectSources(Clause c, Set<Symbol> out) {
    if (c instanceof Clause.Pattern p) {
      if (p.src() != null) {
        out.add(p.src());
      }
    } else if (c instanceof Clause.Pred p) {
      srcTerms(p.args(), out);
    } else if (c instanceof Clause.Fn f) {
      srcTerms(f.args(), out);
    } else if (c instanceof Clause.RuleCall r) {
      if (r.src() != null) {
        out.add(r.src());
      }
    } else if (c instanceof Clause.Not n) {
      if (n.src() != null) {
        out.add(n.src());
      }
      for (Clause b : n.body()) {
        collectSources(b, out);
      }
    } else if (c instanceof Clause.Or o) {
      if (o.src() != null) {
        out.add(o.src());
      }
      for (List<Clause> b : o.branches()) {
        for (Clause x : b) {
          collectSources(x, out);
        }
      }
    }
  }

  private static void srcTerms(List<Term> ts, Set<Symbol> out) {
    for (Term t : ts) {
      if (t instanceof Term.Src s) {
        out.add(s.symbol());
      }
    }
  }
}
