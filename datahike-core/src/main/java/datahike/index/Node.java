package datahike.index;

import datahike.Datom;

/**
 * A node of a {@link DatomTree}: a leaf holds datoms in order; a branch holds children and, for
 * each child, the greatest datom beneath it. Every node knows how many datoms lie beneath it, which
 * makes range counts O(log n).
 *
 * <p>Nodes are immutable once published. While one transaction builds a new tree, nodes it created
 * carry its {@code edit} token and are changed in place (the transient mode); nodes of older trees
 * are copied on write. Internal.
 */
final class Node {
  /** Leaf: the datoms. Branch: the greatest datom of each child. Only [0, len) is used. */
  Datom[] keys;
  /** Branch: the children; null for a leaf. */
  Node[] kids;
  int len;
  /** Datoms beneath this node. */
  long count;
  /** The transaction that may mutate this node in place, or null once published. */
  Edit edit;
  /**
   * The store key this node is written under, or null while it exists only in memory. A node with
   * an address and no keys is a stub: its content is loaded through the tree's {@link NodeStore}.
   * Set only once the node's blob is durable ({@link PersistedNodes#durable}), possibly by the
   * thread that flushed it while the transactor reads the tree: hence volatile.
   */
  volatile String address;

  Node(Datom[] keys, Node[] kids, int len, long count, Edit edit) {
    this.keys = keys;
    this.kids = kids;
    this.len = len;
    this.count = count;
    this.edit = edit;
    if (edit != null) edit.created(this);
  }

  /** A stub for a stored node: the address and datom count of a child not loaded here. */
  static Node stub(String address, long count) {
    Node n = new Node(null, null, 0, count, null);
    n.address = address;
    return n;
  }

  boolean isStub() {
    return keys == null;
  }

  boolean isLeaf() {
    return kids == null;
  }

  Datom maxKey() {
    return keys[len - 1];
  }

  boolean editable(Edit e) {
    return e != null && edit == e;
  }
}
