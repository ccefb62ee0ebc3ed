package datahike.query;

import datahike.DatahikeException;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one evaluation of a clause list: the independent relations found so far (joined
 * lazily, only when a clause connects them), the data sources, rules and the default source.
 */
final class Context {
  final Map<Symbol, Object> sources;
  final RuleSet rules;
  final Symbol defaultSrc;
  final RuleEngine engine;
  final Deadline deadline;
  final QueryStats stats;
  /** The clause of a rule body whose rule call reads the delta answers (semi-naive), or null. */
  final Clause deltaClause;

  final List<Relation> rels = new ArrayList<>();
  /** Variables found single-valued (see {@link #single}), with their value. */
  private final Map<Symbol, Object> singles = new HashMap<>(4);
  /** Set once a relation came out empty: the conjunction has no solution. */
  boolean empty;
  /** True inside {@code not}: rule calls there need complete (stratified) answers. */
  boolean negated;

  Context(
      Map<Symbol, Object> sources,
      RuleSet rules,
      Symbol defaultSrc,
      RuleEngine engine,
      Deadline deadline,
      QueryStats stats,
      Clause deltaClause) {
    this.sources = sources;
    this.rules = rules;
    this.defaultSrc = defaultSrc;
    this.engine = engine;
    this.deadline = deadline;
    this.stats = stats;
    this.deltaClause = deltaClause;
  }

  /** A fresh context sharing everything but the relations; {@code src} null keeps the default. */
  Context child(Symbol src, Clause delta) {
    Context c =
        new Context(sources, rules, src != null ? src : defaultSrc, engine, deadline, stats, delta);
    c.negated = negated;
    return c;
  }

  /** The source named {@code sym} (null: the default source). */
  Object source(Symbol sym) {
    Symbol s = sym == null ? defaultSrc : sym;
    if (!sources.containsKey(s)) {
      throw DatahikeException.of(
          "query/where", "Where uses unknown source vars: [" + s + "]", "source", s);
    }
    return sources.get(s);
  }

  /** Adds a relation; an empty one makes the context empty. */
  void add(Relation r) {
    if (r.isEmpty()) {
      empty = true;
    }
    if (r.vars.length > 0 || r.isEmpty()) {
      rels.add(r);
    }
  }

  /** True when {@code var} is a column of some relation. */
  boolean bound(Symbol var) {
    for (Relation r : rels) {
      if (r.has(var)) {
        return true;
      }
    }
    return false;
  }

  /** All bound variables. */
  Set<Symbol> boundVars() {
    Set<Symbol> s = new LinkedHashSet<>();
    for (Relation r : rels) {
      for (Symbol v : r.vars) {
        s.add(v);
      }
    }
    return s;
  }

  /** The relation holding {@code var}, or null. */
  Relation relationOf(Symbol var) {
    for (Relation r : rels) {
      if (r.has(var)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The value of {@code var} when it has exactly one (non-nil) value here: its relation has one
   * row. A variable keeps that single value for the rest of the evaluation (joins only drop or
   * repeat rows), so it is remembered even after its relation is joined with others.
   */
  Object single(Symbol var) {
    Object known = singles.get(var);
    if (known != null) {
      return known;
    }
    Relation r = relationOf(var);
    if (r == null || r.size() != 1) {
      return null;
    }
    Object v = r.rows.get(0)[r.indexOf(var)];
    if (v != null) {
      singles.put(var, v);
    }
    return v;
  }

  /** The product of the sizes of the relations holding any of {@code vars} (1 when none). */
  double sizeFor(Collection<Symbol> vars) {
    double n = 1;
    for (Relation r : rels) {
      for (Symbol v : vars) {
        if (r.has(v)) {
          n *= r.size();
          break;
        }
      }
    }
    return n;
  }

  /**
   * Removes the relations holding any of {@code vars} and returns their product (the unit relation
   * when there is none). The caller adds the result of its operation back.
   */
  Relation take(Collection<Symbol> vars) {
    Relation acc = null;
    for (int i = 0; i < rels.size(); ) {
      Relation r = rels.get(i);
      boolean hit = false;
      for (Symbol v : vars) {
        if (r.has(v)) {
          hit = true;
          break;
        }
      }
      if (hit) {
        rels.remove(i);
        acc = acc == null ? r : Relation.join(acc, r, deadline);
      } else {
        i++;
      }
    }
    return acc == null ? Relation.unit() : acc;
  }
}
