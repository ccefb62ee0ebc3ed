package datahike.pull;

import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A parsed pull pattern. The grammar (Datahike's, from {@code datalog.parser.pull}, plus {@code
 * :xform}):
 *
 * <pre>
 * pattern         = [attr-spec*]                      ; a vector, list or set
 * attr-spec       = attr-name | wildcard | map-spec | attr-with-opts | attr-expr
 * attr-name       = keyword | string                  ; :_name is a reverse reference
 * wildcard        = '*' | :* | "*"
 * map-spec        = { ((attr-name | limit-expr | attr-with-opts) (pattern | recursion-limit))+ }
 * attr-with-opts  = [attr-name attr-option+]
 * attr-option     = :as any-value | :limit (positive-integer | nil) | :default any-value
 *                 | :xform (registered-symbol | java.util.function.Function)
 * attr-expr       = limit-expr | default-expr
 * limit-expr      = [("limit" | 'limit | :limit) attr-name (positive-number | nil)]
 * default-expr    = [("default" | 'default | :default) attr-name any-value]
 * recursion-limit = positive-number | '... | "..."
 * </pre>
 *
 * <p>As in Datahike, a pattern is a map from the attribute name as written (the result key unless
 * {@code :as} renames it) to its {@link Attr}: a later spec for the same name replaces an earlier
 * one, and map specs come after the plain ones. The wildcard is a flag on the {@link Pattern}.
 */
public sealed interface PullPattern permits PullPattern.Pattern, PullPattern.Attr {

  /** Default number of values pulled for one attribute, as Datahike's {@code +default-limit+}. */
  long DEFAULT_LIMIT = 1000;

  /** {@code :limit nil}: no limit. */
  long NO_LIMIT = Long.MAX_VALUE;

  /**
   * A pattern: a wildcard flag and the attribute specs by name, in pattern order.
   *
   * @param wildcard the pattern holds {@code *}
   * @param attrs the attribute specs by the attribute name as written
   * @param reverseOnly the same pattern with only the reverse attributes and no wildcard (what
   *     Datahike pulls after expanding a wildcard), or null when there are none
   */
  record Pattern(boolean wildcard, Map<Keyword, Attr> attrs, Pattern reverseOnly)
      implements PullPattern {

    /** The pattern {@code [*]}: what component values expand with. */
    public static final Pattern WILDCARD = of(true, List.of());

    /** The pattern of {@code specs}, deriving {@link #reverseOnly}. */
    public static Pattern of(boolean wildcard, List<Attr> specs) {
      Map<Keyword, Attr> attrs = new LinkedHashMap<>();
      for (Attr a : specs) {
        attrs.put(a.name(), a);
      }
      List<Attr> reverse = new ArrayList<>();
      for (Attr a : attrs.values()) {
        if (a.reverse()) {
          reverse.add(a);
        }
      }
      Pattern rev = null;
      if (!reverse.isEmpty()) {
        Map<Keyword, Attr> rattrs = new LinkedHashMap<>();
        for (Attr a : reverse) {
          rattrs.put(a.name(), a);
        }
        rev = new Pattern(false, Collections.unmodifiableMap(rattrs), null);
      }
      return new Pattern(wildcard, Collections.unmodifiableMap(attrs), rev);
    }
  }

  /**
   * One attribute spec.
   *
   * @param name the attribute as written: {@code :friend}, {@code :_friend}, {@code :db/id}
   * @param attr the attribute read: {@code :friend} for both of the above
   * @param reverse {@code name} is a reverse reference
   * @param as the result key instead of {@code name}, or null
   * @param limit the most values read, {@link #DEFAULT_LIMIT} unless given, {@link #NO_LIMIT} for
   *     {@code nil}
   * @param hasDefault a {@code :default} was given (it may be nil)
   * @param defaultValue the value used when the entity has none
   * @param xform a function applied to the pulled value, or null
   * @param join how the values are pulled
   */
  record Attr(
      Keyword name,
      Keyword attr,
      boolean reverse,
      Object as,
      long limit,
      boolean hasDefault,
      Object defaultValue,
      Function<Object, Object> xform,
      Join join)
      implements PullPattern {

    /** A plain spec for {@code name}: {@code :friend} or {@code :_friend}. */
    public static Attr named(Keyword name) {
      boolean rev = name.isReverse();
      return new Attr(
          name, rev ? name.reverse() : name, rev, null, DEFAULT_LIMIT, false, null, null, PLAIN);
    }

    /** This spec with another join. */
    public Attr withJoin(Join j) {
      return new Attr(name, attr, reverse, as, limit, hasDefault, defaultValue, xform, j);
    }

    /** This spec with another limit. */
    public Attr withLimit(long n) {
      return new Attr(name, attr, reverse, as, n, hasDefault, defaultValue, xform, join);
    }

    /** This spec with a default value. */
    public Attr withDefault(Object v) {
      return new Attr(name, attr, reverse, as, limit, true, v, xform, join);
    }

    /** This spec under another result key. */
    public Attr withAs(Object key) {
      return new Attr(name, attr, reverse, key, limit, hasDefault, defaultValue, xform, join);
    }

    /** This spec with a value transformation. */
    public Attr withXform(Function<Object, Object> f) {
      return new Attr(name, attr, reverse, as, limit, hasDefault, defaultValue, f, join);
    }

    /** The key of this attribute in the result map. */
    public Object resultKey() {
      return as != null ? as : name;
    }
  }

  /** No sub-pattern: values as they are, refs as {@code {:db/id n}}, components expanded. */
  Join PLAIN = new Plain();

  /** How the values of an attribute are pulled. */
  sealed interface Join permits Plain, Nested, Recursive {}

  /** Values as they are; references as {@code {:db/id n}}; components pulled with {@code [*]}. */
  record Plain() implements Join {}

  /**
   * A map spec with a pattern: {@code {:friend [:name]}}.
   *
   * @param pattern the pattern pulled for each referenced entity
   */
  record Nested(Pattern pattern) implements Join {}

  /**
   * A map spec with a recursion limit: {@code {:friend 2}} or {@code {:friend ...}}.
   *
   * @param limit the recursion depth, or null for {@code ...} (and, as in Datahike, for a
   *     non-integral number, which never equals a depth)
   */
  record Recursive(Long limit) implements Join {}
}
