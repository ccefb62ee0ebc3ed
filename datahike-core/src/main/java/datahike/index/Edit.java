package datahike.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token of one batch of transient updates to {@link DatomTree}s (one transaction): nodes
 * created under it are changed in place until {@link #publish()}, which makes them immutable.
 *
 * <p>The token keeps the nodes it created, so that publishing touches exactly those. Walking the
 * trees from their roots instead would read every child of every copied branch to find the
 * transient ones: a few hundred cache misses per index for a transaction of one datom.
 *
 * <p>Use a token for one batch only; after {@link #publish()} it is spent. Not thread-safe.
 * Internal.
 */
public final class Edit {
  private List<Node> nodes = new ArrayList<>(32);
  /** The scratch state of the update running under this token ({@link DatomTree.Op#of}). */
  DatomTree.Op op;

  /** Records a node created under this token. */
  void created(Node n) {
    if (nodes == null) throw new IllegalStateException("transient update after publish");
    nodes.add(n);
  }

  /**
   * Makes every node created under this token immutable, with arrays trimmed to what they hold
   * (transient nodes may have been grown for more). Idempotent.
   */
  public void publish() {
    List<Node> ns = nodes;
    if (ns == null) return;
    nodes = null;
    for (Node n : ns) {
      n.edit = null;
      if (n.keys.length != n.len) {
        n.keys = Arrays.copyOf(n.keys, n.len);
        if (n.kids != null) n.kids = Arrays.copyOf(n.kids, n.len);
      }
    }
  }

  /** True once {@link #publish()} was called. */
  public boolean published() {
    return nodes == null;
  }
}
