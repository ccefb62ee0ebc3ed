package datahike.edn;

import java.util.AbstractList;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * An immutable EDN list {@code (a b c)}. It is an ordinary {@link java.util.List}: equal to any
 * list with equal elements (so {@code (1 2)} equals {@code [1 2]}, as in Clojure); only the printer
 * tells it apart, printing it with parentheses. Elements may be null (EDN {@code nil}).
 */
public final class EdnList extends AbstractList<Object> implements RandomAccess {
  private static final EdnList EMPTY = new EdnList(new Object[0]);

  private final Object[] items;

  /** Wraps {@code items} without copying; the caller gives up the array. */
  EdnList(Object[] items) {
    this.items = items;
  }

  /** The list of {@code items}, in order (copied). */
  public static EdnList of(Object... items) {
    return items.length == 0 ? EMPTY : new EdnList(items.clone());
  }

  /** The list of the elements of {@code items}, in iteration order (copied). */
  public static EdnList copyOf(Collection<?> items) {
    return items.isEmpty() ? EMPTY : new EdnList(items.toArray());
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

  /** The EDN text of this list, e.g. {@code (pull ?e [*])}. */
  @Override
  public String toString() {
    return EdnPrinter.print(this);
  }
}
