package datahike.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import datahike.Datom;

/**
 * Where the nodes of stored trees come from: decodes a node's blob on first use and keeps decoded
 * nodes in a cache bounded by the number of datoms they hold, so a database larger than the heap
 * can be queried (nodes not in use are dropped and read again when needed). Subclasses fetch and
 * decode blobs; the durable database supplies one per store. Internal.
 */
public abstract class NodeStore {
  private final Cache<String, Node> cache;

  /** A node store caching up to {@code maxCachedDatoms} datoms' worth of decoded nodes. */
  protected NodeStore(long maxCachedDatoms) {
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxCachedDatoms)
            .weigher((String k, Node n) -> Math.max(1, n.len))
            .build();
  }

  /** The content of a stored node. {@code kidAddresses} is null for a leaf. */
  public record Decoded(Datom[] keys, String[] kidAddresses, long[] kidCounts) {}

  /** Reads and decodes the node stored at {@code address}; throws when it is missing or damaged. */
  protected abstract Decoded fetch(String address);

  /** The loaded node at {@code address}. */
  final Node load(String address) {
    Node n = cache.getIfPresent(address);
    if (n != null) return n;
    Decoded d = fetch(address);
    n = DatomTree.decoded(address, d.keys(), d.kidAddresses(), d.kidCounts());
    cache.put(address, n);
    return n;
  }

  /**
   * Caches a node just written and named, as if it had been read: a leaf as it is (immutable once
   * published), a branch as a copy whose children are stubs, so that the cache never holds a
   * subtree it does not count.
   */
  final void remember(Node n) {
    if (n.isLeaf()) {
      cache.put(n.address, n);
      return;
    }
    Node[] stubs = new Node[n.len];
    for (int i = 0; i < n.len; i++) {
      Node k = n.kids[i];
      stubs[i] = Node.stub(k.address, k.count);
    }
    Node copy = new Node(n.keys, stubs, n.len, n.count, null);
    copy.address = n.address;
    cache.put(n.address, copy);
  }

  /** Number of nodes currently cached. */
  public long cachedNodes() {
    return cache.estimatedSize();
  }

  /** Writes new nodes when a tree is persisted. */
  public interface Writer {
    /** Stores a leaf holding {@code keys[0, len)}; returns its address. */
    String writeLeaf(Datom[] keys, int len);

    /** Stores a branch; returns its address. */
    String writeBranch(Datom[] maxKeys, String[] kidAddresses, long[] kidCounts, int len);
  }
}
