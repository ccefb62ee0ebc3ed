package datahike.edn;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An EDN keyword such as {@code :name} or {@code :db/ident}. Keywords are interned: two keywords
 * with the same namespace and name are the same object, so {@code ==} is a valid equality test.
 *
 * <p>Each keyword also carries a process-wide dense {@link #id()} (1, 2, 3, ... in interning
 * order). The indices store an attribute as a small int rather than a reference; that int is the
 * keyword id, and {@link #byId(int)} turns it back into the keyword. Ids are never reused and never
 * stored on disk (stored nodes carry keyword names).
 *
 * <p>Ordering follows Clojure: keywords without a namespace sort before those with one, then by
 * namespace, then by name.
 */
public final class Keyword implements Comparable<Keyword> {
  private static final ConcurrentHashMap<String, Keyword> TABLE = new ConcurrentHashMap<>();
  private static final Object ID_LOCK = new Object();
  private static volatile Keyword[] byId = new Keyword[1024];
  private static int nextId = 1;

  private final String namespace;
  private final String name;
  private final String fullName;
  private final int id;
  private final int hash;

  private Keyword(String namespace, String name, String fullName, int id) {
    this.namespace = namespace;
    this.name = name;
    this.fullName = fullName;
    this.id = id;
    this.hash = fullName.hashCode() * 31 + 0x6b;
  }

  /**
   * The keyword for {@code text}: {@code "name"}, {@code "db/ident"} or with a leading colon
   * {@code ":db/ident"}.
   */
  public static Keyword of(String text) {
    String full = text.startsWith(":") ? text.substring(1) : text;
    Keyword k = TABLE.get(full);
    return k != null ? k : intern(full);
  }

  /** The keyword with the given namespace (may be null) and name. */
  public static Keyword of(String namespace, String name) {
    return of(namespace == null ? name : namespace + "/" + name);
  }

  private static Keyword intern(String full) {
    synchronized (ID_LOCK) {
      Keyword k = TABLE.get(full);
      if (k != null) {
        return k;
      }
      int slash = full.indexOf('/');
      // "/" alone is a valid name; a namespace needs text on both sides of the slash.
      String ns = slash > 0 && slash < full.length() - 1 ? full.substring(0, slash) : null;
      String nm = ns == null ? full : full.substring(slash + 1);
      int id = nextId++;
      k = new Keyword(ns, nm, full, id);
      Keyword[] table = byId;
      if (id >= table.length) {
        table = Arrays.copyOf(table, table.length * 2);
      }
      table[id] = k;
      byId = table;
      TABLE.put(full, k);
      return k;
    }
  }

  /** The keyword with process-wide id {@code id}, as returned by {@link #id()}. */
  public static Keyword byId(int id) {
    return byId[id];
  }

  /** The namespace, or null for a keyword like {@code :name}. */
  public String namespace() {
    return namespace;
  }

  /** The name: {@code "ident"} for {@code :db/ident}. */
  public String name() {
    return name;
  }

  /** Namespace and name without the colon: {@code "db/ident"}. */
  public String fullName() {
    return fullName;
  }

  /** The process-wide dense id of this keyword (greater than zero). */
  public int id() {
    return id;
  }

  /** True when this is a reverse attribute reference such as {@code :person/_friend}. */
  public boolean isReverse() {
    return name.length() > 1 && name.charAt(0) == '_';
  }

  /** {@code :a/_b} for {@code :a/b} and the other way round. */
  public Keyword reverse() {
    return isReverse() ? of(namespace, name.substring(1)) : of(namespace, "_" + name);
  }

  @Override
  public int compareTo(Keyword o) {
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
    return ":" + fullName;
  }
}
