package datahike.query;

import datahike.DatahikeException;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules passed as {@code %}, grouped by name.
 *
 * <pre>
 * rules     = [ rule+ ]
 * rule      = [ rule-head clause+ ]
 * rule-head = ( rule-name rule-vars )
 * rule-vars = [ variable+ ]? variable*        ; the vector holds the required variables
 * </pre>
 */
final class RuleSet {
  /** One branch of a rule: its head variables and body. */
  record Branch(Symbol name, List<Symbol> required, List<Symbol> vars, List<Clause> body) {
    /** All head variables: required ones first. */
    List<Symbol> head() {
      List<Symbol> h = new ArrayList<>(required);
      h.addAll(vars);
      return h;
    }
  }

  static final RuleSet EMPTY = new RuleSet(Map.of());

  private static final Map<Object, RuleSet> CACHE =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, RuleSet> e) {
              return size() > 128;
            }
          });

  private final Map<Symbol, List<Branch>> rules;

  private RuleSet(Map<Symbol, List<Branch>> rules) {
    this.rules = rules;
  }

  /** The branches of rule {@code name}, or null. */
  List<Branch> branches(Symbol name) {
    return rules.get(name);
  }

  /** True when there are no rules. */
  boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Parses a rules value (cached by form). */
  static RuleSet parse(Object form) {
    if (form == null) {
      return EMPTY;
    }
    RuleSet r = CACHE.get(form);
    if (r == null) {
      r = parseUncached(form);
      CACHE.put(form, r);
    }
    return r;
  }

  private static DatahikeException error(String message, Object form) {
    return DatahikeException.of("query/parse", message, "form", form);
  }

  private static RuleSet parseUncached(Object form) {
    if (!(form instanceof List<?> l)) {
      throw error("Cannot parse rules, expected [rule+]: " + Forms.print(form), form);
    }
    Map<Symbol, List<Branch>> m = new LinkedHashMap<>();
    for (Object r : l) {
      if (!(r instanceof List<?> rl) || rl.size() < 2 || !(rl.get(0) instanceof List<?> head)) {
        throw error("Cannot parse rule, expected [rule-head clause+]: " + Forms.print(r), form);
      }
      if (head.isEmpty() || !(head.get(0) instanceof Symbol name) || name.isVariable()) {
        throw error("Cannot parse rule head: " + Forms.print(head), form);
      }
      List<Symbol> required = new ArrayList<>();
      List<Symbol> vars = new ArrayList<>();
      for (int i = 1; i < head.size(); i++) {
        Object v = head.get(i);
        if (i == 1 && v instanceof List<?> req) {
          for (Object x : req) {
            if (!Forms.isVar(x)) {
              throw error("Cannot parse rule head: " + Forms.print(head), form);
            }
            required.add((Symbol) x);
          }
        } else if (Forms.isVar(v)) {
          vars.add((Symbol) v);
        } else {
          throw error("Cannot parse rule head: " + Forms.print(head), form);
        }
      }
      List<Clause> body = new ArrayList<>();
      for (int i = 1; i < rl.size(); i++) {
        body.add(ClauseParser.parse(rl.get(i)));
      }
      Set<Symbol> bodyVars = new LinkedHashSet<>();
      for (Clause c : body) {
        ClauseParser.collectVars(c, bodyVars);
      }
      Branch b = new Branch(name, List.copyOf(required), List.copyOf(vars), List.copyOf(body));
      List<Branch> existing = m.computeIfAbsent(name, k -> new ArrayList<>());
      if (!existing.isEmpty() && existing.get(0).head().size() != b.head().size()) {
        throw error("Rule " + name + " has branches of different arity", form);
      }
      existing.add(b);
    }
    Map<Symbol, List<Branch>> frozen = new LinkedHashMap<>();
    m.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new RuleSet(frozen);
  }
}
