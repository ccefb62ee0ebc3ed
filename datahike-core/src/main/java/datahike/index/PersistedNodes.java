package datahike.index;

import java.util.ArrayList;
import java.util.List;

/**
 * The nodes that {@link DatomTree#persist} wrote and the addresses it wrote them under, kept
 * until their blobs are durable.
 *
 * <p>A node learns its address only in {@link #durable}. A later persist skips every node that
 * has an address, so an address given before the blob was durable could let a head name a node
 * that a failed or unfinished write never stored — exactly what a store must never do. With this
 * two-step, a failed write leaves the nodes unnamed and the next flush writes them again; and the
 * writing may run on a background thread while transactions go on, since nothing the transactor
 * reads changes until the nodes are safely stored. Internal.
 */
public final class PersistedNodes {
  private final List<Node> nodes = new ArrayList<>();
  private final List<String> addresses = new ArrayList<>();

  void add(Node n, String address) {
    nodes.add(n);
    addresses.add(address);
  }

  /** Number of nodes written. */
  public int size() {
    return nodes.size();
  }

  /**
   * Call once every blob is durable: names each written node with its address, so later persists
   * skip it and {@link DatomTree#unloadStored()} can drop it from memory, and hands it to {@code
   * cache} (may be null), so that reading it again after the unload costs no decoding.
   */
  public void durable(NodeStore cache) {
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      n.address = addresses.get(i);
      if (cache != null) cache.remember(n);
    }
    nodes.clear();
    addresses.clear();
  }
}
