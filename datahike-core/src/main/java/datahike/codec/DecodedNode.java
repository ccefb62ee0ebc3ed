package datahike.codec;

import datahike.Datom;

/**
 * An index node as {@link NodeCodec#decode(byte[])} returns it: a {@link Leaf} or a {@link Branch}.
 * The arrays belong to the caller.
 *
 * <pre>
 * DecodedNode = Leaf(keys) | Branch(maxKeys, childAddresses, childCounts)
 * </pre>
 *
 * <p>Internal: not part of the public API.
 */
public sealed interface DecodedNode permits DecodedNode.Leaf, DecodedNode.Branch {
  /** The number of keys (leaf) or children (branch). */
  int size();

  /**
   * A leaf node.
   *
   * @param keys the datoms, in index order
   */
  record Leaf(Datom[] keys) implements DecodedNode {
    @Override
    public int size() {
      return keys.length;
    }
  }

  /**
   * A branch node: child {@code i} is stored under {@code childAddresses[i]}, holds {@code
   * childCounts[i]} datoms, the largest of which is {@code maxKeys[i]}.
   *
   * @param maxKeys the largest datom of each child
   * @param childAddresses the store address of each child
   * @param childCounts the number of datoms under each child
   */
  record Branch(Datom[] maxKeys, String[] childAddresses, long[] childCounts)
      implements DecodedNode {
    @Override
    public int size() {
      return maxKeys.length;
    }
  }
}
