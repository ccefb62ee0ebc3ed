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
    int h = 1;
    for (Object v : vals) {
      h = 31 * h + Values.hash(v);
    }
    this.hash = h;
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
    if (!(o instanceof Key k) || k.hash != hash || k.vals.length != vals.length) {
      return false;
    }
    for (int i = 0; i < vals.length; i++) {
      if (!Values.equal(vals[i], k.vals[i])) {
        return false;
      }
    }
    return true;
  }
}
