package datahike.query;

import datahike.index.Values;

/**
 * A hash key over some values of a tuple, with Datahike's value equality ({@link Values#equal})
 * rather than Java's {@code equals}.
 */
final class Key {
  final Object[] vals;
  private final int hash;

  Key(Object[] vals) {
    this.vals = vals;
    this.hash = hash(vals);
  }

  /**
   * The hash of a tuple of values, consistent with {@link #equal} and, for every value but byte
   * arrays, with {@link java.util.List#hashCode} of the same values.
   */
  static int hash(Object[] vals) {
    int h = 1;
    for (Object v : vals) {
      h = 31 * h + Values.hash(v);
    }
    return h;
  }

  /** True when the tuples have the same length and equal values ({@link Values#equal}). */
  static boolean equal(Object[] a, Object[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!Values.equal(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  /** The key of {@code row} at columns {@code cols}. */
  static Key of(Object[] row, int[] cols) {
    Object[] v = new Object[cols.length];
    for (int i = 0; i < cols.length; i++) {
      v[i] = row[cols[i]];
    }
    return new Key(v);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && k.hash == hash && equal(vals, k.vals);
  }
}
