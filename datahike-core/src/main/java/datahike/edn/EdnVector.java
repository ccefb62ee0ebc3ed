package datahike.edn;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The immutable list the reader makes of an EDN vector {@code [a b c]}: a plain {@link
 * java.util.List} over an array, so that it equals any list with equal elements (including an
 * {@link EdnList}), as vectors and lists are equal in Clojure.
 */
final class EdnVector extends AbstractList<Object> implements RandomAccess {
  private final Object[] items;

  /** Wraps {@code items} without copying; the caller gives up the array. */
  EdnVector(Object[] items) {
    this.items = items;
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public Object[] toArray() {
    return items.clone();
  }

  /** The EDN text of this vector. */
  @Override
  public String toString() {
    return EdnPrinter.print(this);
  }
}
