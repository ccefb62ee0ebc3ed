package datahike.query;

import datahike.index.Values;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * One row of a query result: an unmodifiable List over the row's array, with the hash computed
 * once. Equality and hash are {@link Key}'s, after {@link Values#equal}/{@link Values#hash}, which
 * agree with {@link java.util.List#equals} and {@link java.util.List#hashCode} for every value but
 * byte arrays (compared by content here), so result sets deduplicate rows the way the engine
 * compares values and still answer {@code contains(List.of(...))}.
 */
final class ResultTuple extends AbstractList<Object> implements RandomAccess {
  private final Object[] vals;
  private final int hash;

  ResultTuple(Object[] vals) {
    this.vals = vals;
    this.hash = Key.hash(vals);
  }

  @Override
  public Object get(int index) {
    return vals[index];
  }

  @Override
  public int size() {
    return vals.length;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (o instanceof ResultTuple t) {
      return t.hash == hash && Key.equal(vals, t.vals);
    }
    return o instanceof java.util.List<?> l && Values.equal(this, l);
  }
}
