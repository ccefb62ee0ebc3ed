package datahike.index;

import datahike.Datom;
import datahike.edn.Keyword;

/**
 * The sort orders of the indices. Each compares two datoms component by component; a component of
 * the second argument that is a wildcard (e &lt; 0, a == 0, v == null, tx == 0) compares equal, so
 * one comparison serves both inserting full datoms and seeking with partial keys (a prefix search
 * finds the first datom not less than the key, and ends after the last datom not greater).
 *
 * <p>Current indices compare (e, a, v) only: a fact is either present or not. Temporal indices
 * also compare tx and the added flag, since one fact can be asserted and retracted many times.
 *
 * <p>Internal.
 */
public enum DatomOrder {
  EAVT {
    @Override
    public int compare(Datom x, Datom k) {
      int c = cmpE(x, k);
      if (c != 0) return c;
      c = cmpA(x.a, k.a);
      if (c != 0) return c;
      c = cmpV(x, k);
      if (c != 0) return c;
      return 0;
    }
  },
  AEVT {
    @Override
    public int compare(Datom x, Datom k) {
      int c = cmpA(x.a, k.a);
      if (c != 0) return c;
      c = cmpE(x, k);
      if (c != 0) return c;
      return cmpV(x, k);
    }
  },
  AVET {
    @Override
    public int compare(Datom x, Datom k) {
      int c = cmpA(x.a, k.a);
      if (c != 0) return c;
      c = cmpV(x, k);
      if (c != 0) return c;
      return cmpE(x, k);
    }
  };

  /** Compares (e, a, v) in this order, treating wildcards in {@code k} as equal. */
  public abstract int compare(Datom x, Datom k);

  /** As {@link #compare} and then by tx and added: the order of the temporal indices. */
  public final int compareWithTx(Datom x, Datom k) {
    int c = compare(x, k);
    if (c != 0) return c;
    long kt = k.tx();
    if (kt == 0) return 0;
    c = Long.compare(x.tx(), kt);
    if (c != 0) return c;
    // Within one transaction an assertion precedes a retraction of the same fact (a value set and
    // then overwritten in one transaction), so the last operation decides as-of.
    return Boolean.compare(k.added(), x.added());
  }

  static int cmpE(Datom x, Datom k) {
    return k.e < 0 ? 0 : Long.compare(x.e, k.e);
  }

  static int cmpV(Datom x, Datom k) {
    return k.v == null ? 0 : Values.compare(x.v, k.v);
  }

  /**
   * Attribute order: keyword attributes (negative codes) by keyword, entity-id attributes by id,
   * the wildcard 0 equal to all.
   */
  public static int cmpA(int x, int k) {
    if (x == k || k == 0) return 0;
    if (x < 0 && k < 0) return Keyword.compareIds(-x, -k);
    return Integer.compare(x, k);
  }
}
