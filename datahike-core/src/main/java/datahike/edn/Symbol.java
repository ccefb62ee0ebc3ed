package datahike.edn;

import java.util.concurrent.ConcurrentHashMap;

/**
 * An EDN symbol such as {@code ?e}, {@code $}, {@code count} or {@code clojure.string/blank?}.
 * Symbols are interned, so {@code ==} is a valid equality test. Ordering is by namespace (symbols
 * without one first), then name.
 */
public final class Symbol implements Comparable<Symbol> {
  private static final ConcurrentHashMap<String, Symbol> TABLE = new ConcurrentHashMap<>();

  private final String namespace;
  private final String name;
  private final String fullName;
  private final int hash;

  private Symbol(String fullName) {
    int slash = fullName.indexOf('/');
    this.namespace =
        slash > 0 && slash < fullName.length() - 1 ? fullName.substring(0, slash) : null;
    this.name = namespace == null ? fullName : fullName.substring(slash + 1);
    this.fullName = fullName;
    this.hash = fullName.hashCode() * 31 + 0x73;
  }

  /** The symbol spelled {@code text}, e.g. {@code "?e"} or {@code "clojure.string/blank?"}. */
  public static Symbol of(String text) {
    Symbol s = TABLE.get(text);
    return s != null ? s : TABLE.computeIfAbsent(text, Symbol::new);
  }

  /** The namespace, or null. */
  public String namespace() {
    return namespace;
  }

  /** The name without namespace. */
  public String name() {
    return name;
  }

  /** The whole spelling. */
  public String fullName() {
    return fullName;
  }

  /** True for query variables: symbols starting with {@code ?}. */
  public boolean isVariable() {
    return fullName.length() > 1 && fullName.charAt(0) == '?';
  }

  /** True for data source symbols: {@code $}, {@code $1}, {@code $db}. */
  public boolean isSource() {
    return fullName.charAt(0) == '$';
  }

  @Override
  public int compareTo(Symbol o) {
    if (this == o) {
      return 0;
    }
    if (namespace == null) {
      if (o.namespace != null) {
        return -1;
      }
    } else {
      if (o.namespace == null) {
        return 1;
      }
      int c = namespace.compareTo(o.namespace);
      if (c != 0) {
        return c;
      }
    }
    return name.compareTo(o.name);
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return fullName;
  }
}
