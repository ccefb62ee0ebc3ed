package datahike.query;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses query forms (vector or map form, already read from EDN) into {@link ParsedQuery}, and
 * keeps the last few hundred parses in an LRU cache keyed by the form.
 */
final class QueryParser {
  private QueryParser() {}

  private static final Keyword FIND = Keyword.of("find");
  private static final Keyword IN = Keyword.of("in");
  private static final Keyword WHERE = Keyword.of("where");
  private static final Keyword WITH = Keyword.of("with");
  private static final Keyword KEYS = Keyword.of("keys");
  private static final Keyword SYMS = Keyword.of("syms");
  private static final Keyword STRS = Keyword.of("strs");
  private static final Keyword OFFSET = Keyword.of("offset");
  private static final Keyword LIMIT = Keyword.of("limit");
  private static final Keyword TIMEOUT = Keyword.of("timeout");

  private static final int CACHE_SIZE = 512;

  @SuppressWarnings("serial")
  private static final Map<Object, ParsedQuery> CACHE =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, ParsedQuery> e) {
              return size() > CACHE_SIZE;
            }
          });

  /** The parse of {@code form}, from the cache when it was parsed before. */
  static ParsedQuery parse(Object form) {
    ParsedQuery q = CACHE.get(form);
    if (q == null) {
      q = parseUncached(form);
      CACHE.put(form, q);
    }
    return q;
  }

  static DatahikeException error(String message, Object form) {
    return DatahikeException.of("query/parse", message, "form", form);
  }

  @SuppressWarnings("unchecked")
  static ParsedQuery parseUncached(Object form) {
    Map<Keyword, Object> m;
    if (form instanceof Map<?, ?> map) {
      m = (Map<Keyword, Object>) map;
    } else if (form instanceof List<?> l) {
      m = sections(l);
    } else {
      throw error("Query should be a vector or a map: " + Forms.print(form), form);
    }
    Object find = m.get(FIND);
    if (!(find instanceof List<?> findList) || findList.isEmpty()) {
      throw error("Query should have a :find clause: " + Forms.print(form), form);
    }
    FindSpec spec = parseFind(findList);
    Keyword returnKind = null;
    List<Symbol> returnNames = null;
    for (Keyword k : new Keyword[] {KEYS, SYMS, STRS}) {
      Object names = m.get(k);
      if (names != null) {
        if (returnKind != null) {
          throw error("Only one of :keys/:syms/:strs must be present", form);
        }
        returnKind = k;
        returnNames = symbols(names, k);
        if (returnNames.size() != spec.elements().size()) {
          throw error(
              "Count of "
                  + k
                  + " must match count of :find: "
                  + Forms.print(names)
                  + " vs "
                  + Forms.print(find),
              form);
        }
      }
    }
    if (returnKind != null && (spec instanceof FindSpec.Scalar || spec instanceof FindSpec.Coll)) {
      throw error(returnKind + " does not work with single-scalar or collection :find", form);
    }
    List<Symbol> with = m.containsKey(WITH) ? symbols(m.get(WITH), WITH) : List.of();
    List<ParsedQuery.In> in = parseIn(m.get(IN));
    Object whereForm = m.get(WHERE);
    List<Clause> where = new ArrayList<>();
    if (whereForm != null) {
      if (!(whereForm instanceof List<?> wl)) {
        throw error("Cannot parse :where, expected a list of clauses", form);
      }
      for (Object c : wl) {
        where.add(ClauseParser.parse(c));
      }
    }
    checkSources(in, where, form);
    return new ParsedQuery(
        spec,
        returnKind,
        returnNames,
        with,
        in,
        List.copyOf(where),
        number(m.get(OFFSET)),
        number(m.get(LIMIT)),
        number(m.get(TIMEOUT)),
        form);
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : -1;
  }

  private static Map<Keyword, Object> sections(List<?> l) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    Keyword current = null;
    List<Object> items = null;
    for (Object o : l) {
      if (o instanceof Keyword k) {
        if (current != null) {
          m.put(current, items);
        }
        current = k;
        items = new ArrayList<>();
      } else {
        if (current == null) {
          throw error("Query vector should start with a keyword such as :find", l);
        }
        items.add(o);
      }
    }
    if (current != null) {
      m.put(current, items);
    }
    return m;
  }

  private static List<Symbol> symbols(Object o, Keyword section) {
    if (!(o instanceof List<?> l)) {
      throw error("Cannot parse " + section + ": expected symbols, got " + Forms.print(o), o);
    }
    List<Symbol> out = new ArrayList<>();
    for (Object x : l) {
      if (x instanceof Symbol s) {
        out.add(s);
      } else if (x instanceof Keyword k && section != WITH) {
        out.add(Symbol.of(k.fullName()));
      } else if (x instanceof String s && section != WITH) {
        out.add(Symbol.of(s));
      } else {
        throw error("Cannot parse " + section + ": expected symbols, got " + Forms.print(o), o);
      }
    }
    return List.copyOf(out);
  }

  // ---- find

  static FindSpec parseFind(List<?> find) {
    int n = find.size();
    if (n == 2 && find.get(1) == Forms.DOT) {
      return new FindSpec.Scalar(List.of(parseElem(find.get(0), find)));
    }
    if (n == 1 && find.get(0) instanceof List<?> inner && isVectorSpec(inner)) {
      if (inner.size() == 2 && inner.get(1) == Forms.ELLIPSIS) {
        return new FindSpec.Coll(List.of(parseElem(inner.get(0), find)));
      }
      List<FindSpec.Elem> elems = new ArrayList<>();
      for (Object o : inner) {
        elems.add(parseElem(o, find));
      }
      return new FindSpec.Tuple(List.copyOf(elems));
    }
    List<FindSpec.Elem> elems = new ArrayList<>();
    for (Object o : find) {
      elems.add(parseElem(o, find));
    }
    return new FindSpec.Rel(List.copyOf(elems));
  }

  /** A vector in :find is a coll/tuple spec when it does not start with a function name. */
  private static boolean isVectorSpec(List<?> l) {
    if (l.isEmpty()) {
      return false;
    }
    Object first = l.get(0);
    return Forms.isVar(first) || first instanceof List;
  }

  private static FindSpec.Elem parseElem(Object o, Object find) {
    if (Forms.isVar(o)) {
      return new FindSpec.VarElem((Symbol) o);
    }
    if (o instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Symbol head) {
      if (head == Forms.PULL) {
        return parsePull(l, find);
      }
      if (head == Forms.AGGREGATE && l.size() == 3 && Forms.isVar(l.get(1))) {
        return new FindSpec.AggElem(null, (Symbol) l.get(1), List.of(), lastVar(l, find));
      }
      List<Term> args = new ArrayList<>();
      for (int i = 1; i < l.size() - 1; i++) {
        args.add(Term.of(l.get(i)));
      }
      Symbol var = lastVar(l, find);
      if (head.isVariable()) {
        return new FindSpec.AggElem(null, head, List.copyOf(args), var);
      }
      return new FindSpec.AggElem(head, null, List.copyOf(args), var);
    }
    throw error(
        "Cannot parse :find, expected: (find-rel | find-coll | find-tuple | find-scalar): "
            + Forms.print(find),
        find);
  }

  private static Symbol lastVar(List<?> l, Object find) {
    Object last = l.get(l.size() - 1);
    if (l.size() < 2 || !Forms.isVar(last)) {
      throw error(
          "Cannot parse :find, aggregate should end with a variable: " + Forms.print(l), find);
    }
    return (Symbol) last;
  }

  private static FindSpec.Elem parsePull(List<?> l, Object find) {
    int i = 1;
    Symbol src = null;
    if (l.size() == 4 && Forms.isSource(l.get(1))) {
      src = (Symbol) l.get(1);
      i = 2;
    }
    if (l.size() != i + 2 || !Forms.isVar(l.get(i))) {
      throw error("Cannot parse pull expression: " + Forms.print(l), find);
    }
    Symbol var = (Symbol) l.get(i);
    Object pattern = Forms.unquote(l.get(i + 1));
    if (pattern instanceof Symbol ps) {
      return new FindSpec.PullElem(src, var, null, ps);
    }
    return new FindSpec.PullElem(src, var, pattern, null);
  }

  // ---- in

  private static List<ParsedQuery.In> parseIn(Object in) {
    if (in == null) {
      return List.of(new ParsedQuery.InSource(Forms.DEFAULT_SRC));
    }
    if (!(in instanceof List<?> l)) {
      throw error("Cannot parse :in: " + Forms.print(in), in);
    }
    List<ParsedQuery.In> out = new ArrayList<>();
    for (Object o : l) {
      if (o == Forms.RULES) {
        out.add(new ParsedQuery.InRules());
      } else if (Forms.isSource(o)) {
        out.add(new ParsedQuery.InSource((Symbol) o));
      } else {
        out.add(new ParsedQuery.InBinding(parseBinding(o, in)));
      }
    }
    return List.copyOf(out);
  }

  /** Parses a binding form (see {@link Binding}). */
  static Binding parseBinding(Object o, Object context) {
    if (o == Forms.BLANK) {
      return new Binding.Ignore();
    }
    if (o instanceof Symbol s && !s.isSource()) {
      return new Binding.Scalar(s);
    }
    if (o instanceof List<?> l && !l.isEmpty()) {
      if (l.size() == 2 && l.get(1) == Forms.ELLIPSIS) {
        return new Binding.Coll(parseBinding(l.get(0), context));
      }
      if (l.size() == 1 && l.get(0) instanceof List<?> inner && !inner.isEmpty()) {
        return new Binding.Coll(tuple(inner, context));
      }
      return tuple(l, context);
    }
    throw error(
        "Cannot parse binding, expected (bind-scalar | bind-tuple | bind-coll | bind-rel): "
            + Forms.print(o),
        context);
  }

  private static Binding tuple(List<?> l, Object context) {
    List<Binding> elems = new ArrayList<>();
    for (Object x : l) {
      if (x == Forms.ELLIPSIS) {
        throw error("Cannot parse binding: " + Forms.print(l), context);
      }
      elems.add(parseBinding(x, context));
    }
    return new Binding.Tuple(List.copyOf(elems));
  }

  // ---- validation

  private static void checkSources(List<ParsedQuery.In> in, List<Clause> where, Object form) {
    Set<Symbol> declared = new LinkedHashSet<>();
    for (ParsedQuery.In i : in) {
      if (i instanceof ParsedQuery.InSource s) {
        declared.add(s.symbol());
      }
    }
    Set<Symbol> used = new LinkedHashSet<>();
    for (Clause c : where) {
      ClauseParser.collectSources(c, used);
    }
    used.removeAll(declared);
    used.remove(Forms.DEFAULT_SRC);
    if (!used.isEmpty()) {
      throw DatahikeException.of(
          "query/parse",
          "Where uses unknown source vars: " + Forms.print(new ArrayList<>(used)),
          "vars",
          used,
          "form",
          form);
    }
  }
}
