package datahike.pull;

import datahike.DatahikeException;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.pull.PullPattern.Attr;
import datahike.pull.PullPattern.Nested;
import datahike.pull.PullPattern.Pattern;
import datahike.pull.PullPattern.Recursive;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Parses pull patterns given as EDN data into {@link PullPattern}s, caching the result by form.
 *
 * <p>The rules follow Datahike's parser ({@code datalog.parser.pull}): the wildcard is moved to the
 * front and map specs to the back ({@code simplify-pattern-clauses}); each spec is tried as an
 * attribute name, the wildcard, a map spec, an attribute with options, then a limit or default
 * expression; error messages are Datahike's. Two extensions: a set is accepted wherever a pattern
 * is (Datahike's query accepts set patterns), and a map-spec key may be an attribute with options
 * ({@code {[:friend :limit 2] [:name]}}, as later datalog-parser versions accept).
 */
final class PullParser {
  private static final int CACHE_SIZE = 1024;

  private static final Keyword AS = Keyword.of("as");
  private static final Keyword LIMIT = Keyword.of("limit");
  private static final Keyword DEFAULT = Keyword.of("default");
  private static final Keyword XFORM = Keyword.of("xform");
  private static final Keyword STAR_KW = Keyword.of("*");
  private static final Symbol STAR = Symbol.of("*");
  private static final Symbol DOTS = Symbol.of("...");
  private static final Symbol LIMIT_SYM = Symbol.of("limit");
  private static final Symbol DEFAULT_SYM = Symbol.of("default");

  /** Parsed patterns by form; least recently used evicted. Guarded by itself. */
  private static final Map<Object, Pattern> CACHE =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Pattern> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  private PullParser() {}

  /**
   * The parsed pattern of {@code form}, from the cache when the same form was parsed before. Throws
   * a {@code :pull/pattern} DatahikeException for a malformed pattern.
   */
  static Pattern parse(Object form) {
    if (form instanceof Pattern p) {
      return p;
    }
    synchronized (CACHE) {
      Pattern p = CACHE.get(form);
      if (p != null) {
        return p;
      }
    }
    Pattern p = parsePull(form);
    synchronized (CACHE) {
      CACHE.put(form, p);
    }
    return p;
  }

  /** Parses without the cache. */
  static Pattern parsePull(Object form) {
    Pattern p = parsePattern(form);
    if (p == null) {
      throw error("Cannot parse pull pattern, expected: [attr-spec+]", form);
    }
    return p;
  }

  /** The pattern of {@code form}, or null when it is not a collection. */
  private static Pattern parsePattern(Object form) {
    if (!(form instanceof List || form instanceof Set)) {
      return null;
    }
    // simplify-pattern-clauses: wildcard first, then the other specs, then the map entries.
    boolean wildcard = false;
    List<Object> others = new ArrayList<>();
    List<Map.Entry<?, ?>> entries = new ArrayList<>();
    for (Object clause : (Collection<?>) form) {
      if (clause instanceof Map<?, ?> m) {
        entries.addAll(m.entrySet());
      } else if (isWildcard(clause)) {
        wildcard = true;
      } else {
        others.add(clause);
      }
    }
    List<Attr> specs = new ArrayList<>(others.size() + entries.size());
    for (Object clause : others) {
      specs.add(parseAttrSpec(clause));
    }
    for (Map.Entry<?, ?> e : entries) {
      specs.add(parseMapSpecEntry(e.getKey(), e.getValue()));
    }
    return Pattern.of(wildcard, specs);
  }

  private static boolean isWildcard(Object o) {
    return o == STAR || o == STAR_KW || "*".equals(o);
  }

  private static Attr parseAttrSpec(Object spec) {
    Attr a = parseAttrName(spec);
    if (a == null) {
      a = parseAttrWithOpts(spec);
    }
    if (a == null) {
      a = parseAttrExpr(spec);
    }
    if (a == null) {
      throw error(
          "Cannot parse attr-spec, expected: (attr-name | wildcard | map-spec | attr-expr)", spec);
    }
    return a;
  }

  /** An attribute name: a keyword, or a string (read as the keyword it spells). */
  private static Attr parseAttrName(Object spec) {
    if (spec instanceof Keyword k) {
      return Attr.named(k);
    }
    if (spec instanceof String s && !s.isEmpty()) {
      return Attr.named(Keyword.of(s));
    }
    return null;
  }

  private static Attr parseMapSpecEntry(Object k, Object v) {
    Attr attr = parseAttrName(k);
    if (attr == null && k instanceof List<?> l && l.size() == 3) {
      attr = parseLimitExpr(l);
    }
    if (attr == null) {
      attr = parseAttrWithOpts(k);
    }
    if (attr == null) {
      throw error("Expected (attr-name | limit-expr)", Arrays.asList(k, v));
    }
    if (v == DOTS || "...".equals(v)) {
      return attr.withJoin(new Recursive(null));
    }
    if (v instanceof Number n && isPositive(n)) {
      return attr.withJoin(new Recursive(isIntegral(n) ? n.longValue() : null));
    }
    Pattern sub = parsePattern(v);
    if (sub == null) {
      throw error("Expected (pattern | recursion-limit)", Arrays.asList(k, v));
    }
    return attr.withJoin(new Nested(sub));
  }

  /** {@code [attr-name :as x :limit n :default v :xform f]}, or null when it is not one. */
  private static Attr parseAttrWithOpts(Object spec) {
    if (!(spec instanceof List<?> l) || l.isEmpty()) {
      return null;
    }
    Attr a = parseAttrName(l.get(0));
    if (a == null || (l.size() - 1) % 2 != 0) {
      return null;
    }
    for (int i = 1; i < l.size(); i += 2) {
      Object o = l.get(i);
      if (o != AS && o != LIMIT && o != DEFAULT && o != XFORM) {
        return null;
      }
    }
    for (int i = 1; i < l.size(); i += 2) {
      Object o = l.get(i);
      Object v = l.get(i + 1);
      if (o == AS) {
        // (or (:as opts) attr-key): a nil or false alias keeps the attribute name.
        a = a.withAs(v == null || Boolean.FALSE.equals(v) ? null : v);
      } else if (o == LIMIT) {
        a = a.withLimit(limitOf(v, spec));
      } else if (o == DEFAULT) {
        a = a.withDefault(v);
      } else {
        a = a.withXform(xformOf(v, spec));
      }
    }
    return a;
  }

  private static long limitOf(Object v, Object spec) {
    if (v == null) {
      return PullPattern.NO_LIMIT;
    }
    if (v instanceof Number n && isIntegral(n)) {
      return Math.max(0, n.longValue());
    }
    throw error("Expected :limit (positive-number | nil)", spec);
  }

  @SuppressWarnings("unchecked")
  private static Function<Object, Object> xformOf(Object v, Object spec) {
    if (v instanceof Symbol s) {
      Function<Object, Object> f = PullXforms.lookup(s);
      if (f == null) {
        throw error("Unknown :xform function " + s + ": register it with PullXforms", spec);
      }
      return f;
    }
    if (v instanceof Function<?, ?> f) {
      return (Function<Object, Object>) f;
    }
    throw error("Expected :xform symbol", spec);
  }

  private static Attr parseAttrExpr(Object spec) {
    if (!(spec instanceof List<?> l) || l.size() != 3) {
      return null;
    }
    Attr a = parseLimitExpr(l);
    return a != null ? a : parseDefaultExpr(l);
  }

  private static Attr parseLimitExpr(List<?> l) {
    Object head = l.get(0);
    if (head != LIMIT_SYM && head != LIMIT && !"limit".equals(head)) {
      return null;
    }
    Object n = l.get(2);
    Attr a = parseAttrName(l.get(1));
    boolean okLimit = n == null || (n instanceof Number num && isPositive(num) && isIntegral(num));
    if (a == null || !okLimit) {
      throw error("Expected [\"limit\" attr-name (positive-number | nil)]", l);
    }
    return a.withLimit(n == null ? PullPattern.NO_LIMIT : ((Number) n).longValue());
  }

  private static Attr parseDefaultExpr(List<?> l) {
    Object head = l.get(0);
    if (head != DEFAULT_SYM && head != DEFAULT && !"default".equals(head)) {
      return null;
    }
    Attr a = parseAttrName(l.get(1));
    if (a == null) {
      throw error("Expected [\"default\" attr-name any-value]", l);
    }
    return a.withDefault(l.get(2));
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Long
        || n instanceof Integer
        || n instanceof Short
        || n instanceof Byte
        || n instanceof BigInteger;
  }

  private static boolean isPositive(Number n) {
    return n.doubleValue() > 0;
  }

  private static DatahikeException error(String message, Object fragment) {
    return DatahikeException.of(
        "pull/pattern",
        message + ", got " + fragment,
        "error",
        "parser/pull",
        "fragment",
        fragment);
  }
}
