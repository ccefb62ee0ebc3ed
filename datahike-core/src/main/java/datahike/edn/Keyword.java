package datahike.edn;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An EDN keyword such as {@code :name} or {@code :db/ident}. Keywords are interned: two keywords
 * with the same namespace and name are the same object, so {@code ==} is a valid equality test.
 *
 * <p>A keyword used as an attribute also carries a process-wide dense {@link #id()} (1, 2, 3, ...
 * in order of first use). The indices store an attribute as a small int rather than a reference;
 * that int is the keyword id, and {@link #byId(int)} turns it back into the keyword. Ids are
 * assigned on first call of {@link #id()}, never reused and never stored on disk (stored nodes carry
 * keyword names).
 *
 * <p>The intern table holds keywords weakly, as Clojure's does: a keyword nothing refers to any
 * more is dropped, so reading untrusted EDN (a server's requests, fuzzed input) with ever new
 * keywords does not grow the heap without bound. A keyword that has an id is pinned for the life of
 * the process, since datoms refer to it by that int alone.
 *
 * <p>Ordering follows Clojure: keywords without a namespace sort before those with one, then by
 * namespace, then by name.
 */
public final class Keyword implements Comparable<Keyword> {
  private static final ConcurrentHashMap<String, Ref> TABLE = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Keyword> CLEARED = new ReferenceQueue<>();
  private static final Object ID_LOCK = new Object();
  private static volatile Keyword[] byId = new Keyword[1024];
  private static int nextId = 1;
  /** The keywords that have an id, in keyword order (under ID_LOCK): finds a new one's neighbours. */
  private static final TreeSet<Keyword> RANKED = new TreeSet<>();
  /**
   * {@code ranks[id]}: a number whose order among keywords with ids is their keyword order, so that
   * the indices compare attributes with one array read each instead of {@link #compareTo} (which
   * profiling of bulk loads found behind a fifth of the CPU). A new keyword takes a number between
   * its neighbours' and is written into the array in place before its id is published; when no
   * number is free there, all are renumbered into a new array. A reader takes the array once per
   * comparison, so both numbers come from one consistent numbering.
   */
  private static volatile long[] ranks = new long[1024];

  private final String namespace;
  private final String name;
  private final String fullName;
  private final int hash;
  /**
   * The first four UTF-16 units of the namespace (0 when there is none) and of the name, packed
   * big-endian and padded with zeros: two keywords whose prefixes differ compare as their prefixes
   * do, so most comparisons of distinct keywords (attributes in every index comparison) end on
   * one long instead of two string comparisons. Padding with 0 is exact: where one prefix is padded
   * and the other holds a unit that is not 0, the shorter string is also the smaller.
   */
  private final long nsPrefix;
  private final long namePrefix;

  /** 0 until {@link #id()} assigns one; volatile so that a reader seeing it also sees byId. */
  private volatile int id;

  /** A table entry; knows its name so that a cleared entry can be removed. */
  private static final class Ref extends WeakReference<Keyword> {
    final String fullName;

    Ref(Keyword k) {
      super(k, CLEARED);
      this.fullName = k.fullName;
    }
  }

  private Keyword(String namespace, String name, String fullName) {
    this.namespace = namespace;
    this.name = name;
    this.fullName = fullName;
    this.hash = fullName.hashCode() * 31 + 0x6b;
    this.nsPrefix = namespace == null ? 0 : prefix(namespace);
    this.namePrefix = prefix(name);
  }

  private static long prefix(String s) {
    long p = 0;
    for (int i = 0; i < 4; i++) {
      p = (p << 16) | (i < s.length() ? s.charAt(i) : 0);
    }
    return p;
  }

  /**
   * The keyword for {@code text}: {@code "name"}, {@code "db/ident"} or with a leading colon
   * {@code ":db/ident"}.
   */
  public static Keyword of(String text) {
    String full = text.startsWith(":") ? text.substring(1) : text;
    Ref r = TABLE.get(full);
    Keyword k = r == null ? null : r.get();
    return k != null ? k : intern(full);
  }

  /** The keyword with the given namespace (may be null) and name. */
  public static Keyword of(String namespace, String name) {
    return of(namespace == null ? name : namespace + "/" + name);
  }

  private static Keyword intern(String full) {
    synchronized (TABLE) {
      for (Reference<? extends Keyword> c; (c = CLEARED.poll()) != null; ) {
        TABLE.remove(((Ref) c).fullName, c);
      }
      Ref r = TABLE.get(full);
      Keyword k = r == null ? null : r.get();
      if (k != null) {
        return k;
      }
      int slash = full.indexOf('/');
      // "/" alone is a valid name; a namespace needs text on both sides of the slash.
      String ns = slash > 0 && slash < full.length() - 1 ? full.substring(0, slash) : null;
      String nm = ns == null ? full : full.substring(slash + 1);
      k = new Keyword(ns, nm, full);
      TABLE.put(full, new Ref(k));
      return k;
    }
  }

  /** Keywords in the intern table (live or not yet cleared), for tests. */
  static int internedCount() {
    return TABLE.size();
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

  /**
   * The process-wide dense id of this keyword (greater than zero), assigned on the first call; from
   * then on the keyword stays interned for the life of the process.
   */
  public int id() {
    int i = id;
    return i != 0 ? i : assignId();
  }

  private int assignId() {
    synchronized (ID_LOCK) {
      if (id == 0) {
        int next = nextId++;
        Keyword[] table = byId;
        if (next >= table.length) {
          table = Arrays.copyOf(table, table.length * 2);
        }
        table[next] = this; // pins it: the table refers to it strongly
        byId = table;
        rank(next);
        id = next;
      }
      return id;
    }
  }

  /** Room left between neighbouring ranks when they are (re)numbered. */
  private static long spacing(int count) {
    return Long.MAX_VALUE / (count + 2L);
  }

  /** Gives this keyword, about to get id {@code next}, a rank (under ID_LOCK). */
  private void rank(int next) {
    long[] r = ranks;
    if (next >= r.length) {
      r = Arrays.copyOf(r, Math.max(byId.length, r.length * 2));
    }
    Keyword lower = RANKED.lower(this);
    Keyword higher = RANKED.higher(this);
    RANKED.add(this);
    long lo = lower == null ? 0 : r[lower.id];
    long hi = higher == null ? Long.MAX_VALUE : r[higher.id];
    if (hi - lo >= 2) {
      // Past the greatest, step by a full spacing: keywords mostly arrive in no particular order,
      // but a run of ascending ones (a generated schema) should not halve the room each time.
      long step = higher == null ? Math.min(spacing(RANKED.size()), (hi - lo) / 2) : (hi - lo) / 2;
      r[next] = lo + step;
      ranks = r;
      return;
    }
    long[] fresh = new long[r.length];
    long gap = spacing(RANKED.size());
    long at = gap;
    for (Keyword k : RANKED) {
      fresh[k == this ? next : k.id] = at;
      at += gap;
    }
    ranks = fresh;
  }

  /**
   * Compares the keywords with ids {@code a} and {@code b} (both from {@link #id()}) as {@link
   * #compareTo} compares them.
   */
  public static int compareIds(int a, int b) {
    long[] r = ranks;
    return Long.compare(r[a], r[b]);
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
      if (nsPrefix != o.nsPrefix) {
        return Long.compareUnsigned(nsPrefix, o.nsPrefix);
      }
      int c = namespace.compareTo(o.namespace);
      if (c != 0) {
        return c;
      }
    }
    if (namePrefix != o.namePrefix) {
      return Long.compareUnsigned(namePrefix, o.namePrefix);
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
